#include "textflag.h"

// func indexAlue(b []byte, from int) int
//
// The index of the first "alue" in b at or after from (0 <= from <= len(b)),
// -1 if there is none: the tail of a "value" key, for the pre-filter's
// valueKeyFrom. bytes.Index anchors a four-byte needle on its first byte, and
// "a" is the commonest letter of log text: this compares the four bytes at
// sixteen starts at once, SSE2 (every amd64 CPU has it). For fewer than 19
// bytes it goes byte by byte; past the last whole block it reads the last
// sixteen starts of b, ignoring those before from. The contract is
// indexAlueGo's.
// STARTS sets bit k of DX when b[I+k:I+k+4] is "alue", for k < 16.
#define STARTS(I) \
	MOVOU (SI)(I*1), X0 \
	MOVOU 1(SI)(I*1), X1 \
	MOVOU 2(SI)(I*1), X2 \
	MOVOU 3(SI)(I*1), X3 \
	PCMPEQB X4, X0 \
	PCMPEQB X5, X1 \
	PCMPEQB X6, X2 \
	PCMPEQB X7, X3 \
	PAND X1, X0 \
	PAND X3, X2 \
	PAND X2, X0 \
	PMOVMSKB X0, DX

TEXT ·indexAlue(SB), NOSPLIT, $0-40
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ from+24(FP), DI
	CMPQ BX, $19
	JB   small
	MOVOU alueConst<>+0(SB), X4
	MOVOU alueConst<>+16(SB), X5
	MOVOU alueConst<>+32(SB), X6
	MOVOU alueConst<>+48(SB), X7
	LEAQ -19(BX), R8 // the last block of sixteen starts begins here

loop:
	CMPQ DI, R8
	JA   last
	STARTS(DI)
	TESTL DX, DX
	JNZ  found
	ADDQ $16, DI
	JMP  loop

last:
	// Fewer than sixteen starts from DI on: the last block, without the
	// DI-R8 starts before DI. No start at or past len(b)-3 holds four bytes.
	LEAQ -3(BX), CX
	CMPQ DI, CX
	JAE  notfound
	STARTS(R8)
	MOVQ DI, CX
	SUBQ R8, CX
	SHRL CX, DX
	TESTL DX, DX
	JZ   notfound

found:
	BSFL DX, DX
	ADDQ DI, DX
	MOVQ DX, ret+32(FP)
	RET

small:
	LEAQ -3(BX), R8
smallloop:
	CMPQ DI, R8
	JGE  notfound
	CMPL (SI)(DI*1), $0x65756c61 // "alue", little-endian
	JEQ  smallfound
	INCQ DI
	JMP  smallloop

smallfound:
	MOVQ DI, ret+32(FP)
	RET

notfound:
	MOVQ $-1, ret+32(FP)
	RET

DATA alueConst<>+0(SB)/8, $0x6161616161616161
DATA alueConst<>+8(SB)/8, $0x6161616161616161
DATA alueConst<>+16(SB)/8, $0x6c6c6c6c6c6c6c6c
DATA alueConst<>+24(SB)/8, $0x6c6c6c6c6c6c6c6c
DATA alueConst<>+32(SB)/8, $0x7575757575757575
DATA alueConst<>+40(SB)/8, $0x7575757575757575
DATA alueConst<>+48(SB)/8, $0x6565656565656565
DATA alueConst<>+56(SB)/8, $0x6565656565656565
GLOBL alueConst<>(SB), RODATA|NOPTR, $64
