#include "textflag.h"

// CLASSIFY sets T to the mask of the bytes of the 32 at R that end a
// bareword, by their nibbles (termLo, termHi: a byte ends one when the two
// tables' entries share a bit; VPSHUFB yields 0 for a byte of 0x80 or more),
// D to the mask of its double quotes and backslashes, S of its ':' and '='.
#define CLASSIFY(R, T, D, S) \
	VMOVDQU R, Y0 \
	VPSRLW  $4, Y0, Y1 \
	VPAND   Y15, Y1, Y1 \
	VPSHUFB Y0, Y10, Y2 \
	VPSHUFB Y1, Y11, Y3 \
	VPAND   Y2, Y3, Y3 \
	VPCMPEQB Y14, Y3, Y3 \
	VPMOVMSKB Y3, T \
	NOTL    T \
	VPCMPEQB Y12, Y0, Y4 \
	VPCMPEQB Y13, Y0, Y5 \
	VPOR    Y4, Y5, Y4 \
	VPMOVMSKB Y4, D \
	VPCMPEQB Y6, Y0, Y8 \
	VPCMPEQB Y7, Y0, Y9 \
	VPOR    Y8, Y9, Y8 \
	VPMOVMSKB Y8, S

// CLASSIFY64 sets AX, BX and DI to CLASSIFY's masks of the 64 bytes at R.
#define CLASSIFY64(R) \
	CLASSIFY(32(R), AX, BX, DI) \
	SHLQ $32, AX \
	SHLQ $32, BX \
	SHLQ $32, DI \
	CLASSIFY((R), R11, R12, R13) \
	ORQ  R11, AX \
	ORQ  R12, BX \
	ORQ  R13, DI

// ARGS loads classify64's arguments: b into SI (base) and DX (length),
// term, dq and sep into R8, R9 and R14.
#define ARGS \
	MOVQ b_base+0(FP), SI \
	MOVQ b_len+8(FP), DX \
	MOVQ term+24(FP), R8 \
	MOVQ dq+32(FP), R9 \
	MOVQ sep+40(FP), R14

// STOREWORD stores the masks in AX, BX and DI at R8, R9 and R14.
#define STOREWORD \
	MOVQ AX, (R8) \
	MOVQ BX, (R9) \
	MOVQ DI, (R14)

// NEXTWORD moves SI on by 64 bytes and R8, R9 and R14 by a word.
#define NEXTWORD \
	ADDQ $64, SI \
	ADDQ $8, R8 \
	ADDQ $8, R9 \
	ADDQ $8, R14

// func classify64(b []byte, term, dq, sep *uint64)
//
// For len(b) >= 32: the masks of b's bytes that end a bareword into term,
// of its double quotes and backslashes into dq, of its ':' and '=' into
// sep, 64 bytes (bits) per word, each stored whole; the bytes after the last
// whole 64 are read as b's last 32 (and, for more than 32 of them, the 32
// before), whose masks are shifted past the bytes already done. AVX2.
TEXT ·classify64(SB), NOSPLIT, $0-48
	ARGS
	VPBROADCASTB colon<>(SB), Y6
	VPBROADCASTB equals<>(SB), Y7
	VBROADCASTI128 ·termLo(SB), Y10
	VBROADCASTI128 ·termHi(SB), Y11
	VPBROADCASTB nibble<>(SB), Y15
	VPBROADCASTB quote<>(SB), Y12
	VPBROADCASTB backslash<>(SB), Y13
	VPXOR Y14, Y14, Y14
	MOVQ  DX, CX
	SHRQ  $6, CX // whole words
	JZ    tail

loop:
	CLASSIFY64(SI)
	STOREWORD
	NEXTWORD
	DECQ CX
	JNZ  loop

tail:
	ANDQ $63, DX // bytes after the whole words
	JZ   done
	LEAQ -32(SI)(DX*1), R10 // b's last 32 bytes
	CLASSIFY((R10), AX, BX, DI)
	CMPQ DX, $32
	JA   two
	MOVQ $32, CX
	SUBQ DX, CX
	SHRL CX, AX
	SHRL CX, BX
	SHRL CX, DI
	JMP  store

two:
	MOVQ $64, CX
	SUBQ DX, CX
	SHRL CX, AX
	SHRL CX, BX
	SHRL CX, DI
	SHLQ $32, AX
	SHLQ $32, BX
	SHLQ $32, DI
	CLASSIFY((SI), R11, R12, R13)
	ORQ  R11, AX
	ORQ  R12, BX
	ORQ  R13, DI

store:
	STOREWORD

done:
	VZEROUPPER
	RET

DATA nibble<>+0(SB)/1, $0x0f
GLOBL nibble<>(SB), RODATA|NOPTR, $1
DATA quote<>+0(SB)/1, $0x22
GLOBL quote<>(SB), RODATA|NOPTR, $1
DATA backslash<>+0(SB)/1, $0x5c
GLOBL backslash<>(SB), RODATA|NOPTR, $1
DATA colon<>+0(SB)/1, $0x3a
GLOBL colon<>(SB), RODATA|NOPTR, $1
DATA equals<>+0(SB)/1, $0x3d
GLOBL equals<>(SB), RODATA|NOPTR, $1

// XCLASSIFY is CLASSIFY for the 16 bytes at R with SSSE3 (T, D and S get 16
// bits each), using X0-X5 and X8; the constants are those of classify64 in
// X6, X7 and X10-X15.
#define XCLASSIFY(R, T, D, S) \
	MOVOU   R, X0 \
	MOVOU   X0, X1 \
	PSRLW   $4, X1 \
	PAND    X15, X1 \
	MOVOU   X10, X2 \
	PSHUFB  X0, X2 \
	MOVOU   X11, X3 \
	PSHUFB  X1, X3 \
	PAND    X2, X3 \
	PCMPEQB X14, X3 \
	PMOVMSKB X3, T \
	XORL    $0xffff, T \
	MOVOU   X0, X4 \
	PCMPEQB X12, X4 \
	MOVOU   X0, X5 \
	PCMPEQB X13, X5 \
	POR     X5, X4 \
	PMOVMSKB X4, D \
	MOVOU   X0, X8 \
	PCMPEQB X6, X8 \
	PCMPEQB X7, X0 \
	POR     X8, X0 \
	PMOVMSKB X0, S

// XSHIFT16 moves AX, BX and DI up by 16 bits and ORs R11, R12 and R13 in.
#define XSHIFT16 \
	SHLQ $16, AX \
	SHLQ $16, BX \
	SHLQ $16, DI \
	ORQ  R11, AX \
	ORQ  R12, BX \
	ORQ  R13, DI

// XCLASSIFY64 is CLASSIFY64 with SSSE3: AX, BX and DI get the masks of the
// 64 bytes at R.
#define XCLASSIFY64(R) \
	XCLASSIFY(48(R), AX, BX, DI) \
	XCLASSIFY(32(R), R11, R12, R13) \
	XSHIFT16 \
	XCLASSIFY(16(R), R11, R12, R13) \
	XSHIFT16 \
	XCLASSIFY((R), R11, R12, R13) \
	XSHIFT16

// func classify64SSE(b []byte, term, dq, sep *uint64)
//
// classify64 for len(b) >= 64 with SSSE3, 16 bytes per step: the bytes after
// the last whole 64 are read as b's last 64.
TEXT ·classify64SSE(SB), NOSPLIT, $0-48
	ARGS
	MOVBQZX colon<>(SB), AX
	MOVQ    AX, X6
	MOVBQZX equals<>(SB), AX
	MOVQ    AX, X7
	MOVBQZX nibble<>(SB), AX
	MOVQ    AX, X15
	MOVBQZX quote<>(SB), AX
	MOVQ    AX, X12
	MOVBQZX backslash<>(SB), AX
	MOVQ    AX, X13
	PXOR    X14, X14
	PSHUFB  X14, X6 // broadcast byte 0
	PSHUFB  X14, X7
	PSHUFB  X14, X15
	PSHUFB  X14, X12
	PSHUFB  X14, X13
	MOVOU   ·termLo(SB), X10
	MOVOU   ·termHi(SB), X11
	LEAQ    -64(SI)(DX*1), R10 // the last 64 bytes
	MOVQ    DX, CX
	SHRQ    $6, CX             // whole words

xloop:
	XCLASSIFY64(SI)
	STOREWORD
	NEXTWORD
	DECQ CX
	JNZ  xloop

	ANDQ $63, DX // bytes after the whole words
	JZ   xdone
	XCLASSIFY64(R10)
	MOVQ $64, CX
	SUBQ DX, CX
	SHRQ CX, AX
	SHRQ CX, BX
	SHRQ CX, DI
	STOREWORD

xdone:
	RET
