#include "textflag.h"

// func pairScan(b []byte, from int) (pos int, mask uint32)
//
// For len(b) >= 16 and 1 <= from, scans b[from:] with SSE2 (every amd64 CPU
// has it) for the bytes that are a 'd' preceded by an 'o', or a 'u' preceded
// by a 't', ASCII case folded ("code", "status"), or an 'H' ("HTTP/"). It
// returns the first block holding one: its start pos and a mask of those bytes
// (bit k: b[pos+k]), all at or after from; pos -1 if there are none. Each
// 16-byte block is compared with the same bytes loaded one position earlier
// (their predecessors), so no state carries between blocks; two blocks go per
// iteration (a 32-bit mask), and a last block overlaps the ones before. Case
// folding ORs 0x20 into every byte, which also maps a few non-letters onto the
// targets: a superset of the matches, which the caller checks exactly. The
// contract is pairScanGo's.

// BLOCK flags the block in X5 (its bytes) and X6 (their predecessors) into R.
#define BLOCK(R) \
	MOVOU X5, X9 \
	PCMPEQB X12, X9 \
	POR   X0, X5 \
	POR   X0, X6 \
	MOVOU X5, X7 \
	PCMPEQB X1, X7 \
	MOVOU X6, X8 \
	PCMPEQB X2, X8 \
	PAND  X7, X8 \
	PCMPEQB X3, X5 \
	PCMPEQB X4, X6 \
	PAND  X5, X6 \
	POR   X8, X6 \
	POR   X9, X6 \
	PMOVMSKB X6, R

TEXT ·pairScan(SB), NOSPLIT, $0-44
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
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
	MOVQ $0x4848484848484848, AX // 'H'
	MOVQ AX, X12
	PUNPCKLQDQ X12, X12
	MOVQ from+24(FP), DI
	LEAQ -32(BX), DX          // the last DI two whole blocks start at
	CMPQ BX, $16
	JB   notfound

loop:
	CMPQ DI, DX
	JG   single
	MOVOU (SI)(DI*1), X5
	MOVOU -1(SI)(DI*1), X6
	BLOCK(AX)
	MOVOU 16(SI)(DI*1), X5
	MOVOU 15(SI)(DI*1), X6
	BLOCK(CX)
	SHLQ  $16, CX
	ORQ   CX, AX
	JNZ   found
	ADDQ  $32, DI
	JMP   loop

single:
	LEAQ -16(BX), DX          // the last DI a whole block starts at
	CMPQ DI, DX
	JG   tail
	MOVOU (SI)(DI*1), X5
	MOVOU -1(SI)(DI*1), X6
	BLOCK(AX)
	TESTQ AX, AX
	JNZ   found
	ADDQ  $16, DI

tail:
	CMPQ DI, BX
	JAE  notfound
	// The last block starts at len-16 (DX), before DI: its bytes before DI are
	// done, and each byte's predecessor is the byte before it in the block.
	MOVOU (SI)(DX*1), X5
	MOVOU X5, X6
	PSLLDQ $1, X6
	BLOCK(AX)
	MOVQ DI, CX
	SUBQ DX, CX               // positions already scanned: 1..16
	SHRQ CX, AX
	SHLQ CX, AX
	TESTQ AX, AX
	JZ   notfound
	MOVQ DX, DI

found:
	MOVQ DI, pos+32(FP)
	MOVL AX, mask+40(FP)
	RET

notfound:
	MOVQ $-1, pos+32(FP)
	MOVL $0, mask+40(FP)
	RET
