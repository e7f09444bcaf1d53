#include "textflag.h"

// func indexQuoteOrEscape(b []byte, from int, q byte) int
//
// The index of the first byte of b at or after from (0 <= from <= len(b))
// equal to q or to a backslash, -1 if there is none: the end of a string or
// its next escape. SSE2 (every amd64 CPU has it), 16 bytes per iteration.
// Whenever b holds 16 bytes or more, the bytes after the last whole block —
// and all of them when fewer than 16 follow from, as a short key's — are read
// as b's last 16 bytes, ignoring those before from or already looked at: a
// string of a record costs one block however short it is. The contract is
// indexQuoteOrEscapeGo's.
TEXT ·indexQuoteOrEscape(SB), NOSPLIT, $0-48
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ from+24(FP), DI
	MOVBQZX q+32(FP), R9
	CMPQ BX, $16
	JB   small
	MOVQ $0x0101010101010101, AX
	IMULQ R9, AX
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	MOVOU backslashes<>(SB), X2
	LEAQ -16(BX), R8 // the last whole block starts here

loop:
	CMPQ DI, R8
	JA   last
	MOVOU (SI)(DI*1), X0
	MOVOU X0, X3
	PCMPEQB X1, X0
	PCMPEQB X2, X3
	POR  X3, X0
	PMOVMSKB X0, DX
	TESTL DX, DX
	JNZ  found
	ADDQ $16, DI
	JMP  loop

last:
	// Fewer than 16 bytes from DI to the end: the last 16 bytes of b,
	// without the DI-R8 of them before DI.
	CMPQ DI, BX
	JAE  notfound
	MOVOU (SI)(R8*1), X0
	MOVOU X0, X3
	PCMPEQB X1, X0
	PCMPEQB X2, X3
	POR  X3, X0
	PMOVMSKB X0, DX
	MOVQ DI, CX
	SUBQ R8, CX
	SHRL CX, DX
	TESTL DX, DX
	JZ   notfound

found:
	BSFL DX, DX
	ADDQ DI, DX
	MOVQ DX, ret+40(FP)
	RET

small:
	CMPQ DI, BX
	JAE  notfound
	MOVBQZX (SI)(DI*1), DX
	CMPQ DX, R9
	JEQ  smallfound
	CMPQ DX, $0x5c
	JEQ  smallfound
	INCQ DI
	JMP  small

smallfound:
	MOVQ DI, ret+40(FP)
	RET

notfound:
	MOVQ $-1, ret+40(FP)
	RET

DATA backslashes<>+0(SB)/8, $0x5c5c5c5c5c5c5c5c
DATA backslashes<>+8(SB)/8, $0x5c5c5c5c5c5c5c5c
GLOBL backslashes<>(SB), RODATA|NOPTR, $16
