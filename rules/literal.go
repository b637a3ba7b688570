package rules

// literalSet finds which of many literals occur in a text in one pass
// (Aho-Corasick). Matching is ASCII case-insensitive: patterns and text are
// folded to lower case on the fly; callers that need an exact-case match
// verify the (rare) hits themselves.
//
// The automaton is a dense DFA over byte classes: every byte that occurs in
// some pattern gets its own class, all other bytes share class 0, so one
// table lookup per text byte advances it, whatever the number of patterns.
// The scan loop is kept to that lookup:
//   - states are stored premultiplied (a state is the offset of its row in
//     delta), so advancing is delta[s+class], without a multiplication;
//   - states are numbered breadth-first, so the shallow states text keeps
//     returning to share a few cache lines, and the states where a pattern
//     ends come last, so one comparison (s >= outFrom) tells whether the
//     text byte completed a pattern.
type literalSet struct {
	classes  [256]uint8 // byte → class, ASCII case folded
	nclasses int
	delta    []uint32 // row offset of a state + class → row offset of the next state
	// outFrom is the row offset of the first state with output; out lists,
	// per such state (counted from there), the patterns that end in it
	// (via fail links too).
	outFrom  uint32
	outStart []int32
	outList  []int32
}

func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newLiteralSet builds the automaton; pattern i is reported as i. Patterns
// are matched ASCII case-insensitively (other bytes exactly).
func newLiteralSet(patterns []string) *literalSet {
	ls := &literalSet{}
	// byte classes
	used := [256]bool{}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[fold(p[i])] = true
		}
	}
	ls.nclasses = 1
	for c := 0; c < 256; c++ {
		if used[c] {
			ls.classes[c] = uint8(ls.nclasses)
			ls.nclasses++
		}
	}
	if ls.nclasses > 256 {
		panic("rules: too many byte classes") // cannot happen: at most 256 bytes + class 0 folds away
	}
	for c := 0; c < 256; c++ {
		ls.classes[c] = ls.classes[fold(byte(c))]
	}
	nc := ls.nclasses
	// trie
	type node struct {
		next []int32
		out  []int32
		fail int32
	}
	newNode := func() node {
		n := node{next: make([]int32, nc)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := ls.classes[p[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(pi))
	}
	// breadth-first: fail links and full transitions
	order := make([]int32, 1, len(nodes)) // breadth-first order, root first
	for c := 0; c < nc; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			nodes[t].fail = 0
			order = append(order, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for q := 1; q < len(order); q++ {
		s := order[q]
		nodes[s].out = append(nodes[s].out, nodes[nodes[s].fail].out...)
		for c := 0; c < nc; c++ {
			t := nodes[s].next[c]
			if t >= 0 {
				nodes[t].fail = nodes[nodes[s].fail].next[c]
				order = append(order, t)
			} else {
				nodes[s].next[c] = nodes[nodes[s].fail].next[c]
			}
		}
	}
	// number the states: breadth-first, those without output first
	rank := make([]uint32, len(nodes))
	numbered := make([]int32, 0, len(nodes))
	for pass := 0; pass < 2; pass++ {
		for _, s := range order {
			if (len(nodes[s].out) > 0) == (pass == 1) {
				rank[s] = uint32(len(numbered))
				numbered = append(numbered, s)
			}
		}
	}
	firstOut := len(numbered)
	for i, s := range numbered {
		if len(nodes[s].out) > 0 {
			firstOut = i
			break
		}
	}
	if uint64(len(nodes))*uint64(nc) > 1<<32-1 {
		panic("rules: literal automaton too large")
	}
	ls.outFrom = uint32(firstOut * nc)
	ls.delta = make([]uint32, len(nodes)*nc)
	for i, s := range numbered {
		row := ls.delta[i*nc : (i+1)*nc]
		for c, t := range nodes[s].next {
			row[c] = rank[t] * uint32(nc)
		}
	}
	ls.outStart = make([]int32, 0, len(nodes)-firstOut+1)
	for _, s := range numbered[firstOut:] {
		ls.outStart = append(ls.outStart, int32(len(ls.outList)))
		ls.outList = append(ls.outList, nodes[s].out...)
	}
	ls.outStart = append(ls.outStart, int32(len(ls.outList)))
	return ls
}

// appendHits appends to dst every pattern occurrence in text (a pattern
// is appended once per occurrence) and returns the extended slice.
func (ls *literalSet) appendHits(dst []int32, text string) []int32 {
	if len(ls.outList) == 0 {
		return dst
	}
	delta, classes, outFrom := ls.delta, &ls.classes, ls.outFrom
	s := uint32(0)
	for i := 0; i < len(text); i++ {
		s = delta[s+uint32(classes[text[i]])]
		if s >= outFrom {
			k := (s - outFrom) / uint32(ls.nclasses)
			dst = append(dst, ls.outList[ls.outStart[k]:ls.outStart[k+1]]...)
		}
	}
	return dst
}

// scan calls hit for every pattern occurrence in text (a pattern may be
// reported more than once).
func (ls *literalSet) scan(text string, hit func(pattern int32)) {
	for _, p := range ls.appendHits(nil, text) {
		hit(p)
	}
}
