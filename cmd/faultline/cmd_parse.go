package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/faultline/faultline/parsers"
	"github.com/spf13/cobra"
)

func newParseCmd() *cobra.Command {
	var f inputFlags
	cmd := &cobra.Command{
		Use:   "parse PATH...",
		Short: "Print the parsed events as NDJSON (for jq, debugging and other tools)",
		RunE: func(cmd *cobra.Command, args []string) error {
			plans, _, failed, err := openInputs(args, &f, stdinReader, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			w := bufio.NewWriterSize(cmd.OutOrStdout(), 256<<10)
			defer w.Flush()
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for _, p := range plans {
				st, err := p.Decode(cmd.Context(), func(batch []parsers.Event) error {
					for i := range batch {
						if err := enc.Encode(batch[i]); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "faultline: %v\n", err)
					failed = true
				}
				if st != nil && !f.quiet {
					reportStats(cmd.ErrOrStderr(), st)
				}
			}
			if failed {
				return &exitError{code: exitUsage}
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// reportStats tells what could not be parsed in an input.
func reportStats(w io.Writer, st *parsers.FileStats) {
	switch {
	case st.Lines > 0 && st.Format == "":
		fmt.Fprintf(w, "faultline: %s: no known format recognised; all %d lines reported as unparsed (use --as PATH=FORMAT or --log-format if it is a log)", st.Path, st.Lines)
		if len(st.UnparsedSamples) > 0 {
			fmt.Fprintf(w, ", e.g. line %d: %q", st.UnparsedSamples[0].Line, clip(st.UnparsedSamples[0].Text, 120))
		}
		fmt.Fprintln(w)
	case st.Unparsed > 0:
		fmt.Fprintf(w, "faultline: %s: %d of %d lines not understood as %s", st.Path, st.Unparsed, st.Lines, st.Format)
		if len(st.UnparsedSamples) > 0 {
			fmt.Fprintf(w, ", e.g. line %d: %q", st.UnparsedSamples[0].Line, clip(st.UnparsedSamples[0].Text, 120))
		}
		fmt.Fprintln(w)
	}
	if st.Truncated > 0 {
		fmt.Fprintf(w, "faultline: %s: %d over-long lines or entries were cut\n", st.Path, st.Truncated)
	}
}
