package views_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"elk/views"
)

// sourceDirs are the trees whose Go files and templates name catalog keys.
var sourceDirs = []string{"../handlers", "../db", "../jobs", "../views", "../main.go"}

var (
	quoted = regexp.MustCompile(`(errors\.New\(|Error\(\) string \{ return )?"((?:[^"\\\n]|\\.)*)"`)
	// keyShape is "area.name" (more parts allowed): lower case, digits, "_".
	keyShape = regexp.MustCompile(`^[a-z][a-z0-9]*(?:\.[a-z0-9_]+)+$`)
	// prefixShape is the start of a key completed at run time: "outbox.kind_", "service.".
	prefixShape = regexp.MustCompile(`^[a-z][a-z0-9]*(?:\.[a-z0-9_]+)*[._]$`)
	fileName    = regexp.MustCompile(`\.(css|js|json|html|go|pdf|csv|png|svg|ico|txt|xml|sql|db|ru|com|example|local)$`)
)

// literal is a quoted string of a source file; errorValue marks an error's
// text (errors.New, an Error method), which is a key only when a catalog has it.
type literal struct {
	path, text string
	errorValue bool
	translated bool // the first argument of T: a key whatever its area
}

// sourceLiterals are the quoted strings of every template and non-test Go file.
func sourceLiterals(t *testing.T) []literal {
	t.Helper()
	var out []literal
	for _, root := range sourceDirs {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !strings.HasSuffix(path, ".html") && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			src := string(b)
			for _, m := range quoted.FindAllStringSubmatchIndex(src, -1) {
				before := strings.TrimRight(src[:m[0]], " (")
				out = append(out, literal{path: path, text: src[m[4]:m[5]], errorValue: m[2] >= 0,
					translated: strings.HasSuffix(before, ".T") || strings.HasSuffix(before, " T")})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Every key named in a template or in Go — whole ("outbox.title") or as a
// prefix completed at run time ("outbox.kind_" + a kind) — is in both catalogs.
func TestUsedKeysAreInBothCatalogs(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]bool{}
	for _, lang := range views.Languages {
		for _, k := range cs.Get(lang).Keys() {
			areas[k[:strings.IndexByte(k+".", '.')]] = true
		}
	}
	missing := func(key string) []string {
		var langs []string
		for _, lang := range views.Languages {
			if !cs.Get(lang).Has(key) {
				langs = append(langs, lang)
			}
		}
		return langs
	}
	reported := map[string]bool{}
	for _, l := range sourceLiterals(t) {
		area, _, _ := strings.Cut(l.text, ".")
		if !areas[area] && !l.translated || fileName.MatchString(l.text) || reported[l.text] ||
			l.errorValue && len(missing(l.text)) == len(views.Languages) {
			continue
		}
		switch {
		case prefixShape.MatchString(l.text):
			values, ok := keyCompletions[l.text]
			if !ok {
				t.Errorf("%s builds keys from %q: list what completes it in keyCompletions", l.path, l.text)
			}
			for _, v := range values {
				if langs := missing(l.text + v); len(langs) > 0 {
					t.Errorf("%s builds %q, missing in %v", l.path, l.text+v, langs)
				}
			}
		case keyShape.MatchString(l.text):
			if langs := missing(l.text); len(langs) > 0 {
				t.Errorf("%s names %q, missing in %v", l.path, l.text, langs)
			}
		}
		reported[l.text] = true
	}
}

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	ru, en := cs.Get("ru").Keys(), cs.Get("en").Keys()
	slices.Sort(ru)
	slices.Sort(en)
	for _, k := range ru {
		if !cs.Get("en").Has(k) {
			t.Errorf("%q is in ru but not in en", k)
		}
	}
	for _, k := range en {
		if !cs.Get("ru").Has(k) {
			t.Errorf("%q is in en but not in ru", k)
		}
	}
}
