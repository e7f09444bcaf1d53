#include "textflag.h"

// func indexQuoteOrEscape(b []byte, q byte) int
//
// The index of the first byte of b equal to q or to a backslash, -1 if there
// is none: the end of a string or its next escape. SSE2 (every amd64 CPU has
// it), 16 bytes per iteration; the last bytes of a record of 16 bytes or more
// are read as its last 16 bytes, ignoring those already looked at. The
// contract is indexQuoteOrEscapeGo's.
TEXT ·indexQuoteOrEscape(SB), NOSPLIT, $0-40
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVBQZX q+24(FP), R9
	XORQ DI, DI
	CMPQ BX, $16
	JB   small
	MOVQ $0x0101010101010101, AX
	IMULQ R9, AX
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	MOVQ $0x5c5c5c5c5c5c5c5c, AX // '\\'
	MOVQ AX, X2
	PUNPCKLQDQ X2, X2
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
	MOVQ DX, ret+32(FP)
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
	MOVQ DI, ret+32(FP)
	RET

notfound:
	MOVQ $-1, ret+32(FP)
	RET
