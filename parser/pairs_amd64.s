#include "textflag.h"

// func pairBlocks(b []byte) int
//
// For len(b) >= 16, scans b with SSE2 (every amd64 CPU has it), 16 bytes at a
// time and a last block overlapping the one before, and returns the index of
// the first byte that is a 'd' preceded by an 'o', or a 'u' preceded by a 't',
// ASCII case folded ("code", "status"), or -1. Shorter slices return -1: the
// caller scans them. Case folding ORs 0x20 into every byte, which also maps a
// few non-letters onto the targets: a superset of the matches, which the
// caller checks exactly.
TEXT ·pairBlocks(SB), NOSPLIT, $0-32
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	ANDQ $~15, BX
	XORQ DI, DI
	XORQ R8, R8               // the previous block ended in 'o' (bit 0)
	XORQ R9, R9               // the previous block ended in 't' (bit 0)
	MOVQ $0x2020202020202020, AX
	MOVQ AX, X0
	PUNPCKLQDQ X0, X0
	MOVQ $0x6464646464646464, AX // 'd'
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	MOVQ $0x6f6f6f6f6f6f6f6f, AX // 'o'
	MOVQ AX, X2
	PUNPCKLQDQ X2, X2
	MOVQ $0x7575757575757575, AX // 'u'
	MOVQ AX, X3
	PUNPCKLQDQ X3, X3
	MOVQ $0x7474747474747474, AX // 't'
	MOVQ AX, X4
	PUNPCKLQDQ X4, X4

loop:
	CMPQ DI, BX
	JAE  tail
	MOVOU (SI)(DI*1), X6
	POR   X0, X6
	MOVOU X6, X7
	PCMPEQB X1, X7
	PMOVMSKB X7, AX           // 'd'
	MOVOU X6, X7
	PCMPEQB X2, X7
	PMOVMSKB X7, CX           // 'o'
	MOVOU X6, X7
	PCMPEQB X3, X7
	PMOVMSKB X7, DX           // 'u'
	PCMPEQB X4, X6
	PMOVMSKB X6, R10          // 't'
	MOVQ CX, R11
	SHLQ $1, R11
	ORQ  R8, R11
	ANDQ R11, AX              // 'd' after 'o'
	MOVQ R10, R11
	SHLQ $1, R11
	ORQ  R9, R11
	ANDQ R11, DX              // 'u' after 't'
	ORQ  DX, AX
	JNZ  found
	MOVQ CX, R8
	SHRQ $15, R8
	MOVQ R10, R9
	SHRQ $15, R9
	ADDQ $16, DI
	JMP  loop

tail:
	// The bytes after the last whole block: one more block ending at len(b),
	// with the positions before BX (already scanned) masked off.
	MOVQ b_len+8(FP), CX
	CMPQ CX, BX
	JEQ  notfound             // no tail
	CMPQ CX, $16
	JB   notfound             // shorter than a block: the caller's
	LEAQ -16(CX), DI          // the last block starts at len-16 >= 1
	MOVBLZX -1(SI)(DI*1), R11 // the byte before it, for the carries
	ORQ  $0x20, R11
	XORQ R8, R8
	XORQ R9, R9
	CMPQ R11, $0x6f
	SETEQ R8
	CMPQ R11, $0x74
	SETEQ R9
	MOVOU (SI)(DI*1), X6
	POR   X0, X6
	MOVOU X6, X7
	PCMPEQB X1, X7
	PMOVMSKB X7, AX
	MOVOU X6, X7
	PCMPEQB X2, X7
	PMOVMSKB X7, R12
	MOVOU X6, X7
	PCMPEQB X3, X7
	PMOVMSKB X7, DX
	PCMPEQB X4, X6
	PMOVMSKB X6, R10
	MOVQ R12, R11
	SHLQ $1, R11
	ORQ  R8, R11
	ANDQ R11, AX
	MOVQ R10, R11
	SHLQ $1, R11
	ORQ  R9, R11
	ANDQ R11, DX
	ORQ  DX, AX
	MOVQ BX, CX
	SUBQ DI, CX               // positions already scanned: 1..15
	SHRQ CX, AX
	SHLQ CX, AX
	TESTQ AX, AX
	JZ   notfound

found:
	BSFQ AX, AX
	ADDQ DI, AX
	MOVQ AX, ret+24(FP)
	RET

notfound:
	MOVQ $-1, ret+24(FP)
	RET
