// Command faultline explains why a web stack returned 500s and 502s: it
// parses Nginx, Apache, PHP-FPM, PHP, syslog and application logs, maps
// error lines to causes, correlates them into incidents and reports them.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes (DESIGN §4).
const (
	exitOK       = 0 // analysed, no incident
	exitIncident = 1 // analysed, incident(s) found
	exitUsage    = 2 // usage or input error
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr makes an error that exits with status 2.
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit code.
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "faultline:", ee.err)
		}
		return ee.code
	}
	// cobra's own errors (unknown flag, wrong number of arguments) do not
	// say which command they are about
	if cmd != nil && cmd != root {
		fmt.Fprintf(os.Stderr, "%s: %v (see %s --help)\n", cmd.CommandPath(), err, cmd.CommandPath())
	} else {
		fmt.Fprintf(os.Stderr, "faultline: %v (see faultline --help)\n", err)
	}
	return exitUsage
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "faultline",
		Short: "Why is the site returning 500 / 502, since when, and what to check first",
		Long: `faultline reads the logs of a web stack (Nginx, Apache httpd, PHP-FPM, PHP,
syslog/kernel and application logs), classifies error lines into causes,
correlates them across layers into incidents and reports the root cause,
the chain of effects, what changed before, and what to check first.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newScanCmd(), newReportCmd(), newTailCmd(), newRulesCmd(), newExplainCmd(), newFormatsCmd(), newDetectCmd(), newParseCmd())
	return root
}
