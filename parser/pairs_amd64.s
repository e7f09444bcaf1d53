#include "textflag.h"

// func pairScan(b []byte, from int) (pos int, mask uint32)
//
// For len(b) >= 16 and 1 <= from, scans b[from:] for the bytes that are a 'd'
// preceded by an 'o', or a 'u' preceded by a 't', ASCII case folded ("code",
// "status"), or an 'H' ("HTTP/"), with AVX2 when useAVX2 is set, else with
// SSE2 (every amd64 CPU has it). It returns the first block holding one: its
// start pos and a mask of those bytes (bit k: b[pos+k]), all at or after from;
// pos -1 if there are none. Each block is compared with the same bytes loaded
// one position earlier (their predecessors), so no state carries between
// blocks. Blocks are 32 bytes (two 16-byte registers, or one AVX2 register;
// with AVX2 two blocks go per iteration), then the record's last 32 bytes
// (for a record of 16 to 32 bytes: a 16-byte block, then the last 16), which
// overlap those before. Case folding ORs 0x20 into every byte, which also maps
// a few non-letters onto the targets: a superset of the matches, which the
// caller checks exactly. The contract is pairScanGo's.

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

// YBLOCK is BLOCK for 32 bytes with AVX2: bytes A, predecessors P, scratch
// H, T1, T2; the flags end in P.
#define YBLOCK(A, P, H, T1, T2) \
	VPCMPEQB Y12, A, H \
	VPOR     Y0, A, A \
	VPOR     Y0, P, P \
	VPCMPEQB Y1, A, T1 \
	VPCMPEQB Y2, P, T2 \
	VPAND    T1, T2, T2 \
	VPCMPEQB Y3, A, A \
	VPCMPEQB Y4, P, P \
	VPAND    A, P, P \
	VPOR     T2, P, P \
	VPOR     H, P, P

// BLOCK32 flags the 32 bytes at SI+I (two 16-byte blocks) into AX, and sets
// the flags as AX does; CX is scratch.
#define BLOCK32(I) \
	MOVOU (SI)(I*1), X5 \
	MOVOU -1(SI)(I*1), X6 \
	BLOCK(AX) \
	MOVOU 16(SI)(I*1), X5 \
	MOVOU 15(SI)(I*1), X6 \
	BLOCK(CX) \
	SHLQ  $16, CX \
	ORQ   CX, AX

// YBLOCK32 is BLOCK32 in one AVX2 register.
#define YBLOCK32(I) \
	VMOVDQU (SI)(I*1), Y5 \
	VMOVDQU -1(SI)(I*1), Y6 \
	YBLOCK(Y5, Y6, Y9, Y7, Y8) \
	VPMOVMSKB Y6, AX

// The constants, 32 bytes each: 0x20 (case folding), 'd', 'o', 'u', 't', 'H'.
#define PAIRCONST(off, v) \
	DATA pairConst<>+(off+0)(SB)/8, v \
	DATA pairConst<>+(off+8)(SB)/8, v \
	DATA pairConst<>+(off+16)(SB)/8, v \
	DATA pairConst<>+(off+24)(SB)/8, v
PAIRCONST(0, $0x2020202020202020)
PAIRCONST(32, $0x6464646464646464)
PAIRCONST(64, $0x6f6f6f6f6f6f6f6f)
PAIRCONST(96, $0x7575757575757575)
PAIRCONST(128, $0x7474747474747474)
PAIRCONST(160, $0x4848484848484848)
GLOBL pairConst<>(SB), RODATA|NOPTR, $192

TEXT ·pairScan(SB), NOSPLIT, $0-44
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), BX
	MOVQ from+24(FP), DI
	LEAQ -32(BX), DX          // the last DI two whole blocks start at
	CMPQ BX, $16
	JB   notfound
	LEAQ pairConst<>(SB), AX
	CMPB ·useAVX2(SB), $0
	JNE  avx2
	MOVOU 0(AX), X0
	MOVOU 32(AX), X1
	MOVOU 64(AX), X2
	MOVOU 96(AX), X3
	MOVOU 128(AX), X4
	MOVOU 160(AX), X12
	JMP  loop

avx2:
	// The same 32-byte blocks, one register each, two per iteration.
	VMOVDQU 0(AX), Y0
	VMOVDQU 32(AX), Y1
	VMOVDQU 64(AX), Y2
	VMOVDQU 96(AX), Y3
	VMOVDQU 128(AX), Y4
	VMOVDQU 160(AX), Y12
	LEAQ -64(BX), R8          // the last DI two whole YMM blocks start at

yloop2:
	CMPQ DI, R8
	JG   yloop1
	VMOVDQU (SI)(DI*1), Y5
	VMOVDQU -1(SI)(DI*1), Y6
	VMOVDQU 32(SI)(DI*1), Y10
	VMOVDQU 31(SI)(DI*1), Y11
	YBLOCK(Y5, Y6, Y9, Y7, Y8)
	YBLOCK(Y10, Y11, Y13, Y14, Y15)
	VPOR  Y6, Y11, Y13
	VPTEST Y13, Y13
	JNZ   yfound2
	ADDQ  $64, DI
	JMP   yloop2

yfound2:
	VPMOVMSKB Y6, AX
	TESTL AX, AX
	JNZ   yfound
	ADDQ  $32, DI
	VPMOVMSKB Y11, AX
	JMP   yfound

yloop1:
	CMPQ DI, DX
	JG   ydone
	YBLOCK32(DI)
	TESTL AX, AX
	JNZ   yfound
	ADDQ  $32, DI

ydone:
	CMPQ DI, BX
	JAE  ynotfound
	CMPQ BX, $33
	JB   yshort
	// The last 32 bytes (DX): those before DI are done.
	LEAQ -32(BX), DX
	YBLOCK32(DX)
	VZEROUPPER
	JMP  lastmask

yshort:
	// 16 to 32 bytes: the 16-byte blocks below; the constants' low halves stay.
	VZEROUPPER
	JMP single

ynotfound:
	VZEROUPPER
	JMP notfound

yfound:
	VZEROUPPER
	JMP found

loop:
	CMPQ DI, DX
	JG   single
	BLOCK32(DI)
	JNZ   found
	ADDQ  $32, DI
	JMP   loop

single:
	CMPQ DI, BX
	JAE  notfound
	CMPQ BX, $33
	JB   single16
	// The last 32 bytes (DX), as two blocks: those before DI are done.
	LEAQ -32(BX), DX
	BLOCK32(DX)

lastmask:
	MOVQ DI, CX
	SUBQ DX, CX               // positions already scanned: 1..31
	SHRQ CX, AX
	SHLQ CX, AX
	TESTQ AX, AX
	JZ   notfound
	MOVQ DX, DI
	JMP  found

single16:
	// A record of 16 to 32 bytes.
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
