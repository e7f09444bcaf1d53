package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/secondme/secondme_error_exporter/parser"
)

func main() {
	p := parser.New(nil)
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		e := p.Parse(sc.Bytes())
		fmt.Printf("%-9s %-35s %4d %-15s | %s\n", e.Kind, e.ErrorCode, e.Code, e.Reason, sc.Text())
	}
}
