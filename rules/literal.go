package rules

// literalSet finds which of many literals occur in a text in one pass
// (Aho-Corasick). Matching is ASCII case-insensitive: patterns and text are
// folded to lower case on the fly; callers that need an exact-case match
// verify the (rare) hits themselves.
//
// The automaton is a dense DFA over byte classes: every byte that occurs in
// some pattern gets its own class, all other bytes share class 0, so one
// table lookup per text byte advances it, whatever the number of patterns.
type literalSet struct {
	classes  [256]uint8 // folded byte → class
	nclasses int
	delta    []int32 // state*nclasses + class → next state
	// out lists, per state, the patterns that end there (via fail links too).
	outStart []int32
	outList  []int32
}

func fold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newLiteralSet builds the automaton; pattern i is reported as i.
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
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < nc; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			nodes[t].fail = 0
			queue = append(queue, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		nodes[s].out = append(nodes[s].out, nodes[nodes[s].fail].out...)
		for c := 0; c < nc; c++ {
			t := nodes[s].next[c]
			if t >= 0 {
				nodes[t].fail = nodes[nodes[s].fail].next[c]
				queue = append(queue, t)
			} else {
				nodes[s].next[c] = nodes[nodes[s].fail].next[c]
			}
		}
	}
	ls.delta = make([]int32, len(nodes)*nc)
	ls.outStart = make([]int32, len(nodes)+1)
	for s := range nodes {
		copy(ls.delta[s*nc:], nodes[s].next)
		ls.outStart[s] = int32(len(ls.outList))
		ls.outList = append(ls.outList, nodes[s].out...)
	}
	ls.outStart[len(nodes)] = int32(len(ls.outList))
	return ls
}

// scan calls hit for every pattern occurrence in text (a pattern may be
// reported more than once).
func (ls *literalSet) scan(text string, hit func(pattern int32)) {
	if len(ls.outList) == 0 {
		return
	}
	nc := int32(ls.nclasses)
	delta, classes, outStart, outList := ls.delta, &ls.classes, ls.outStart, ls.outList
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = delta[s*nc+int32(classes[text[i]])]
		if a, b := outStart[s], outStart[s+1]; a != b {
			for _, p := range outList[a:b] {
				hit(p)
			}
		}
	}
}

// states reports the automaton's size (for tests and lint).
func (ls *literalSet) states() int { return len(ls.outStart) - 1 }
