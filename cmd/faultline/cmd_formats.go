package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/faultline/faultline/parsers"
	"github.com/spf13/cobra"
)

func newFormatsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "formats",
		Short: "List the supported log formats with an example line each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printFormats(cmd.OutOrStdout())
		},
	}
}

func printFormats(w io.Writer) error {
	for _, f := range parsers.Formats() {
		fmt.Fprintf(w, "%-14s %s\n", f.ID, f.Title)
		if len(f.Examples) > 0 {
			fmt.Fprintf(w, "%-14s   %s\n", "", firstLine(f.Examples[0]))
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func newDetectCmd() *cobra.Command {
	var f inputFlags
	cmd := &cobra.Command{
		Use:   "detect PATH...",
		Short: "Show each input's detected format, confidence and one parsed sample",
		RunE: func(cmd *cobra.Command, args []string) error {
			plans, _, failed, err := openInputs(args, &f, stdinReader, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, p := range plans {
				if p.Err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "faultline: %v\n", p.Err)
					failed = true
					continue
				}
				fmt.Fprintf(w, "%s: %s\n", p.Input.Path, p.Detection)
				if p.Zoneless() {
					fmt.Fprintf(w, "  zone: %s (%s)\n", p.Clock.Loc, p.Clock.Reason)
				}
				if len(p.Detection.Ranking) > 1 {
					var rs []string
					for _, r := range p.Detection.Ranking[1:] {
						rs = append(rs, fmt.Sprintf("%s %.0f%%", r.Format, r.Confidence*100))
					}
					fmt.Fprintf(w, "  also understood by: %s\n", strings.Join(rs, ", "))
				}
				if ev, ok := p.SampleEvent(); ok {
					b, _ := json.Marshal(ev)
					fmt.Fprintf(w, "  sample: %s\n", b)
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
