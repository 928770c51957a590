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

// Every key that a template or the Go code names literally is translated.
func TestUsedKeysAreTranslated(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	// {{ .T "key" }}, a field's label ({{ .Field "name" "key" … }}) and hint ((hint "key")), a mail's error.
	literal := regexp.MustCompile(`(?:\.T|\.Field\s+"[a-z_]+"|\(hint|NewError\([^,]+,)\s+"([a-z]+\.[a-z_.]+)"`)
	goKey := regexp.MustCompile(`"((?:form|company|users|user|account|admin|vendor|password|login|error)\.[a-z_]+)"`)
	check := func(path string, re *regexp.Regexp) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if key := m[1]; !cs.Get("ru").Has(key) {
				t.Errorf("%s uses %q, which no catalog translates", path, key)
			}
		}
	}
	err = fs.WalkDir(views.Templates(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			check(path, literal)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"../handlers", "../db"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				check(f, goKey)
			}
		}
	}
}

func TestRussianPlurals(t *testing.T) {
	cs, _ := views.LoadCatalogs()
	ru, en := cs.Get("ru"), cs.Get("en")
	for n, want := range map[int]string{1: "1 минуту", 2: "2 минуты", 5: "5 минут", 11: "11 минут", 14: "14 минут", 21: "21 минуту", 22: "22 минуты", 15: "15 минут"} {
		if got := ru.N("unit.minutes", n); got != want {
			t.Errorf("ru %d: %q, want %q", n, got, want)
		}
	}
	if got := en.N("unit.minutes", 1) + ", " + en.N("unit.minutes", 15); got != "1 minute, 15 minutes" {
		t.Errorf("en: %q", got)
	}
}
