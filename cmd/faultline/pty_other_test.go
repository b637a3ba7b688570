//go:build !linux

package main

import (
	"errors"
	"os"
)

// openPTY is implemented for Linux only; elsewhere the terminal tests
// skip.
func openPTY() (ptm, pts *os.File, err error) {
	return nil, nil, errors.New("pseudo-terminals are opened on Linux only")
}
