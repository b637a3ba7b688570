package report

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// outage builds two hours of traffic on one access log, 100 requests a
// minute, of which failed fail with status from minute 30 to 39, and lets
// add lay findings over it.
func outage(t *testing.T, status, failed int, add func(s *stream)) *Incident {
	t.Helper()
	s := newStream(t)
	for m := range 120 {
		f := 0
		if m >= 30 && m < 40 {
			f = failed
		}
		s.traffic(accessSrc, m, 100, f, status, req{path: "/p" + strconv.Itoa(m%7), upstream: "unix:/run/php/php8.2-fpm.sock"})
	}
	add(s)
	return one(t, s.analyze())
}

func TestRootCause(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		add       func(s *stream)
		root      string
		chain     []string
		notInList []string // causes that must not be part of the incident at all
		conf      string
	}{
		{
			// frequency alone never decides: 10,000 upstream errors and one
			// OOM kill two seconds before them
			name: "one OOM kill before ten thousand upstream errors", status: 502,
			add: func(s *stream) {
				s.cause(sysSrc, at(29, 58), "oom-killed", "pid", "4242", "process", "php-fpm8.2")
				s.cause(fpmSrc, at(29, 58), "fpm-child-crashed", "pid", "4242", "pool", "www")
				for i := range 10000 {
					s.cause(errorSrc, at(30, 0).Add(time.Duration(i)*60*time.Millisecond), "upstream-closed-early", "upstream", "unix:/run/php/php8.2-fpm.sock")
				}
			},
			root: "oom-killed", chain: []string{"oom-killed", "fpm-child-crashed", "upstream-closed-early"}, conf: "high",
		},
		{
			name: "an OOM kill ten minutes after the failures began is not the root", status: 504,
			add: func(s *stream) {
				for m := 30; m < 40; m++ {
					for i := range 20 {
						s.cause(errorSrc, at(m, i*3), "upstream-timeout", "upstream", "unix:/run/php/php8.2-fpm.sock")
					}
					s.cause(fpmSrc, at(m, 1), "fpm-max-children", "pool", "www")
				}
				s.cause(sysSrc, at(39, 50), "oom-killed", "pid", "999", "process", "clamd")
			},
			root: "fpm-max-children", chain: []string{"fpm-max-children", "upstream-timeout"},
		},
		{
			// a cause logged at a constant rate all along is background
			name: "background noise of a deeper cause is excluded", status: 502,
			add: func(s *stream) {
				for m := range 120 {
					s.cause("/var/log/mysql/error.log", at(m, 30), "db-timeout")
				}
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause(errorSrc, at(m, i*2), "upstream-refused", "upstream", "unix:/run/php/php8.2-fpm.sock")
					}
				}
			},
			root: "upstream-refused", chain: []string{"upstream-refused"}, notInList: []string{"db-timeout"}, conf: "high",
		},
		{
			// a service that panics every half hour: three panics around
			// the incident are its background, not the incident's cause
			name: "sparse background of a cause is excluded", status: 502,
			add: func(s *stream) {
				for m := 0; m < 120; m += 9 {
					s.cause(appSrc, at(m, 10), "app-panic")
				}
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause(errorSrc, at(m, i*2), "upstream-refused", "upstream", "unix:/run/php/php8.2-fpm.sock")
					}
				}
			},
			root: "upstream-refused", chain: []string{"upstream-refused"}, notInList: []string{"app-panic"},
		},
		{
			// a database timeout is logged when the query gives up, 40 s
			// after the first failure; the pool filling up is logged first
			name: "a deeper wait cause logged after the first failure", status: 504,
			add: func(s *stream) {
				for m := 30; m < 40; m++ {
					s.cause(fpmSrc, at(m, 5), "fpm-max-children", "pool", "www")
					for i := range 20 {
						s.cause(appSrc, at(m, 40+i), "db-timeout")
					}
				}
			},
			root: "db-timeout", chain: []string{"db-timeout", "fpm-max-children"}, conf: "medium",
		},
		{
			// one disk-full line twelve minutes before, nothing since: another event
			name: "a deep cause that stopped long before is not the root", status: 502,
			add: func(s *stream) {
				s.cause(sysSrc, at(18, 0), "disk-full")
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause(errorSrc, at(m, i*2), "upstream-refused", "upstream", "unix:/run/php/php8.2-fpm.sock")
					}
				}
			},
			root: "upstream-refused", chain: []string{"upstream-refused"},
		},
		{
			name: "a deep cause still going when the failures start is the root", status: 500,
			add: func(s *stream) {
				for m := 27; m < 40; m++ {
					s.cause("/var/log/php/error.log", at(m, 10), "disk-full")
				}
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause("/var/log/php/error.log", at(m, i*2), "php-fatal-error")
					}
				}
			},
			root: "disk-full", chain: []string{"disk-full", "php-fatal-error"},
		},
		{
			// "Allowed memory size exhausted" and the fatal error it raises
			// are one event; the memory limit is the reason
			name: "a specific cause beats a generic one of the same moment", status: 500,
			add: func(s *stream) {
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause("/var/log/php/error.log", at(m, i*2), "php-fatal-error")
						s.cause("/var/log/php/error.log", at(m, i*2+1), "app-out-of-memory")
					}
				}
			},
			root: "app-out-of-memory", chain: []string{"app-out-of-memory"}, conf: "high",
		},
		{
			// a stray upstream timeout is not part of a 500 incident
			name: "a stray shallow cause stays out of the chain", status: 500,
			add: func(s *stream) {
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause("/var/log/php/error.log", at(m, i*2), "db-connection-refused", "host", "127.0.0.1")
					}
				}
				s.cause(errorSrc, at(33, 0), "upstream-timeout", "upstream", "unix:/run/php/php8.2-fpm.sock")
			},
			root: "db-connection-refused", chain: []string{"db-connection-refused"}, conf: "high",
		},
		{
			// systemd's "mariadb.service: Main process exited" speaks for the
			// database: it corroborates the root, it does not follow it
			name: "a database process crash corroborates the database root", status: 500,
			add: func(s *stream) {
				s.cause(sysSrc, at(29, 59), "app-crashed", "unit", "mariadb.service", "signal", "11/SEGV")
				for m := 30; m < 40; m++ {
					for i := range 30 {
						s.cause("/var/log/php/error.log", at(m, i*2), "db-connection-refused")
					}
				}
			},
			root: "db-connection-refused", chain: []string{"db-connection-refused"}, conf: "high",
		},
		{
			// Apache stamps a request when it arrives: requests that failed
			// after a 50 s lock wait are logged 50 s before the lock error
			name: "a deeper cause soon after the first failure", status: 503,
			add: func(s *stream) {
				for m := 30; m < 40; m++ {
					for i := range 20 {
						if m > 30 || i*3 >= 37 {
							s.cause("/var/log/httpd/error_log", at(m, i*3), "fpm-max-children")
						}
						if m > 30 || i*3 >= 50 {
							s.cause("/var/log/php/error.log", at(m, i*3), "db-timeout")
						}
					}
				}
			},
			root: "db-timeout", chain: []string{"db-timeout", "fpm-max-children"}, conf: "medium",
		},
		{
			name: "nothing before the failures", status: 502,
			add: func(s *stream) {
				s.cause(errorSrc, at(32, 30), "upstream-refused", "upstream", "unix:/run/php/php8.2-fpm.sock")
				s.cause(fpmSrc, at(33, 0), "fpm-child-crashed", "pid", "7")
			},
			root: "upstream-refused", chain: []string{"upstream-refused"}, conf: "low",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := outage(t, tc.status, 60, tc.add)
			if in.RootCause != tc.root {
				t.Errorf("root %q, want %q (%s)", in.RootCause, tc.root, in.Reasoning)
			}
			if !slices.Equal(in.Chain, tc.chain) {
				t.Errorf("chain %v, want %v", in.Chain, tc.chain)
			}
			for _, c := range in.Causes {
				if slices.Contains(tc.notInList, c.Cause) {
					t.Errorf("%s (%d lines) is part of the incident", c.Cause, c.Count)
				}
			}
			if tc.conf != "" && in.Confidence != tc.conf {
				t.Errorf("confidence %s, want %s (%s)", in.Confidence, tc.conf, in.Reasoning)
			}
		})
	}
}

// TestKeyLinksRaiseConfidence: the same OOM kill and child crash are more
// convincing when they name the same pid.
func TestKeyLinksRaiseConfidence(t *testing.T) {
	build := func(crashedPID string) *Incident {
		return outage(t, 502, 30, func(s *stream) {
			s.cause(sysSrc, at(29, 50), "oom-killed", "pid", "4242")
			s.cause(fpmSrc, at(29, 50), "fpm-child-crashed", "pid", crashedPID, "pool", "www")
			for m := 30; m < 40; m++ {
				for i := range 30 {
					s.cause(errorSrc, at(m, i*2), "upstream-closed-early", "upstream", "unix:/run/php/php8.2-fpm.sock")
				}
			}
		})
	}
	linked, unlinked := build("4242"), build("5150")
	if linked.Confidence != "high" || unlinked.Confidence != "medium" {
		t.Errorf("confidence %s with the pid shared, %s without; want high and medium", linked.Confidence, unlinked.Confidence)
	}
	if !strings.Contains(linked.Reasoning, "share pid 4242") {
		t.Errorf("reasoning does not name the link: %s", linked.Reasoning)
	}
	if !slices.Equal(linked.Chain, unlinked.Chain) || linked.RootCause != "oom-killed" {
		t.Errorf("chains %v and %v", linked.Chain, unlinked.Chain)
	}
}

// TestSingleCauseConfidence: one cause alone is convincing when it keeps
// pace with the failures, not when it is a single line.
func TestSingleCauseConfidence(t *testing.T) {
	pace := outage(t, 500, 30, func(s *stream) {
		for m := 30; m < 40; m++ {
			for i := range 30 {
				s.cause("/var/log/php/error.log", at(m, i*2), "dependency-missing")
			}
		}
	})
	once := outage(t, 500, 30, func(s *stream) {
		s.cause("/var/log/php/error.log", at(29, 59), "dependency-missing")
	})
	if pace.Confidence != "high" || once.Confidence != "low" {
		t.Errorf("confidence %s for a cause that keeps pace, %s for a single line; want high and low", pace.Confidence, once.Confidence)
	}
}

// TestCauseOrder: the chain in chain order, then the rest deepest first.
func TestCauseOrder(t *testing.T) {
	in := outage(t, 502, 60, func(s *stream) {
		s.cause(sysSrc, at(29, 58), "oom-killed", "pid", "4242")
		s.cause(fpmSrc, at(29, 58), "fpm-child-crashed", "pid", "4242")
		for m := 30; m < 40; m++ {
			for i := range 30 {
				s.cause(errorSrc, at(m, i*2), "upstream-closed-early", "upstream", "unix:/run/php/php8.2-fpm.sock")
			}
			s.cause(fpmSrc, at(m, 5), "fpm-pool-busy", "pool", "www")
			s.cause(sysSrc, at(m, 7), "too-many-open-files")
		}
		s.cause(sysSrc, at(35, 0), "disk-full") // deeper, but after the start
	})
	var got []string
	for _, c := range in.Causes {
		got = append(got, c.Cause)
	}
	want := []string{"oom-killed", "fpm-child-crashed", "upstream-closed-early", "too-many-open-files", "disk-full", "fpm-pool-busy"}
	if !slices.Equal(got, want) {
		t.Errorf("causes in order %v, want %v", got, want)
	}
	for _, c := range in.Causes {
		if c.InChain != slices.Contains(in.Chain, c.Cause) {
			t.Errorf("%s: in_chain %v", c.Cause, c.InChain)
		}
	}
}
