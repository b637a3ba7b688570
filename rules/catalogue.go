// Package rules maps log entries to causes. It owns the cause catalogue
// (what each cause means, what to check first, how to fix it), the rule file
// format, the embedded default rules, user rule directories, the compiled
// matcher (a literal prefilter, then RE2, then regexp2 only where a rule
// asks for it) and the rules' self-tests. It never imports report.
package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// Layer is where in the stack a cause sits. Root-cause analysis walks from
// the deepest layer (OS & resources) up to the HTTP status.
type Layer string

// Layers, deepest first.
const (
	LayerOS       Layer = "os"       // OS & resources: memory, disk, file descriptors, worker limits
	LayerConfig   Layer = "config"   // permissions & configuration
	LayerDatabase Layer = "database" // database & cache
	LayerRuntime  Layer = "runtime"  // application runtime (PHP, Python, Node, Java, Ruby, Go)
	LayerFastCGI  Layer = "fastcgi"  // PHP-FPM / FastCGI process manager
	LayerGateway  Layer = "gateway"  // gateway → upstream (Nginx, Apache proxy)
	LayerStatus   Layer = "status"   // the HTTP status clients saw
	LayerChange   Layer = "change"   // change markers: reloads, restarts, deploys
)

// Depth orders layers for root-cause analysis: a larger depth is closer to
// the root. The runtime and PHP-FPM share a depth (DESIGN §7).
func (l Layer) Depth() int {
	switch l {
	case LayerOS:
		return 6
	case LayerConfig:
		return 5
	case LayerDatabase:
		return 4
	case LayerRuntime, LayerFastCGI:
		return 3
	case LayerGateway:
		return 2
	case LayerStatus:
		return 1
	}
	return 0
}

// Title is the layer's name for people.
func (l Layer) Title() string {
	switch l {
	case LayerOS:
		return "OS & resources"
	case LayerConfig:
		return "permissions & configuration"
	case LayerDatabase:
		return "database & cache"
	case LayerRuntime:
		return "application runtime"
	case LayerFastCGI:
		return "PHP-FPM / FastCGI"
	case LayerGateway:
		return "gateway → upstream"
	case LayerStatus:
		return "HTTP status"
	case LayerChange:
		return "change"
	}
	return string(l)
}

func validLayer(l Layer) bool { return l.Depth() > 0 || l == LayerChange }

// Kind tells causes from change markers.
type Kind string

// Finding kinds (DESIGN §5); KindSymptom is a 5xx response, made by the
// report from access logs rather than by a rule.
const (
	KindCause   Kind = "cause"
	KindChange  Kind = "change"
	KindSymptom Kind = "symptom"
)

// Cause is one entry of the catalogue (DESIGN §3).
type Cause struct {
	ID       string   `yaml:"id" json:"id"`
	Title    string   `yaml:"title" json:"title"`
	Layer    Layer    `yaml:"layer" json:"layer"`
	Statuses []int    `yaml:"statuses" json:"statuses,omitempty"`
	Meaning  string   `yaml:"meaning" json:"meaning"`
	Checks   []string `yaml:"checks" json:"checks"`
	Fixes    []string `yaml:"fixes" json:"fixes,omitempty"`
}

// Kind is KindChange for change markers and KindCause otherwise.
func (c *Cause) Kind() Kind {
	if c.Layer == LayerChange {
		return KindChange
	}
	return KindCause
}

// Catalogue holds every cause by id.
type Catalogue struct {
	byID  map[string]*Cause
	order []*Cause
}

//go:embed causes/*.yaml
var catalogueFiles embed.FS

//go:embed *.yaml
var defaultRules embed.FS

// DefaultCatalogue parses the embedded catalogue (rules/causes/*.yaml).
func DefaultCatalogue() (*Catalogue, error) {
	cat := &Catalogue{byID: map[string]*Cause{}}
	names, err := fs.Glob(catalogueFiles, "causes/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := catalogueFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := cat.add("rules/"+name, data); err != nil {
			return nil, err
		}
	}
	return cat, nil
}

// add parses one catalogue file into c.
func (cat *Catalogue) add(causesFile string, data []byte) error {
	var causes []*Cause
	if err := yaml.UnmarshalWithOptions(data, &causes, yaml.DisallowUnknownField()); err != nil {
		return yamlError(causesFile, err)
	}
	for _, c := range causes {
		if c.ID == "" || c.Title == "" || c.Meaning == "" || len(c.Checks) == 0 {
			return fmt.Errorf("%s: cause %q: id, title, meaning and checks are required", causesFile, c.ID)
		}
		if !validLayer(c.Layer) {
			return fmt.Errorf("%s: cause %q: unknown layer %q", causesFile, c.ID, c.Layer)
		}
		if _, dup := cat.byID[c.ID]; dup {
			return fmt.Errorf("%s: cause %q defined twice", causesFile, c.ID)
		}
		cat.byID[c.ID] = c
		cat.order = append(cat.order, c)
	}
	return nil
}

// Get returns the cause with id, or nil.
func (c *Catalogue) Get(id string) *Cause { return c.byID[id] }

// All returns the causes, deepest layer first, then by id.
func (c *Catalogue) All() []*Cause {
	out := append([]*Cause(nil), c.order...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Layer.Depth() != out[j].Layer.Depth() {
			return out[i].Layer.Depth() > out[j].Layer.Depth()
		}
		if out[i].Layer != out[j].Layer {
			return out[i].Layer > out[j].Layer // runtime before fastcgi
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Suggest returns known ids close to an unknown one, for error messages.
func (c *Catalogue) Suggest(id string) []string {
	var out []string
	for _, cause := range c.order {
		if strings.Contains(cause.ID, id) || strings.Contains(id, cause.ID) ||
			sharedPrefix(cause.ID, id) >= 4 {
			out = append(out, cause.ID)
		}
	}
	return out
}

func sharedPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
