package views

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed i18n/*.json
var catalogs embed.FS

// Languages the interface speaks, the default first.
var Languages = []string{"ru", "en"}

// Catalog is one language's translations: flat keys to strings. A string
// with plural forms separates them with "|": Russian has three (one, few,
// many), English two (one, other).
type Catalog struct {
	Lang     string
	messages map[string]string
}

// Catalogs holds every language's catalog.
type Catalogs map[string]*Catalog

// LoadCatalogs reads the embedded catalogs.
func LoadCatalogs() (Catalogs, error) {
	out := Catalogs{}
	for _, lang := range Languages {
		b, err := catalogs.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("views: catalog %s: %w", lang, err)
		}
		c := &Catalog{Lang: lang}
		if err := json.Unmarshal(b, &c.messages); err != nil {
			return nil, fmt.Errorf("views: catalog %s: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// Get returns the catalog for lang, Russian when lang is unknown.
func (cs Catalogs) Get(lang string) *Catalog {
	if c, ok := cs[lang]; ok {
		return c
	}
	return cs[Languages[0]]
}

// Keys lists the catalog's keys; tests compare languages with it.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	return keys
}

// Has reports whether the catalog translates key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.messages[key]
	return ok
}

// T translates key, formatting args into it; an unknown key comes back as itself.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.messages[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, localizeArgs(c.Lang, args)...)
	}
	return msg
}

// N translates key in the plural form that fits n, formatting n into it.
func (c *Catalog) N(key string, n int) string {
	i := 0
	if c.Lang == "ru" {
		i = russianPlural(n)
	} else if n != 1 {
		i = 1
	}
	// The i-th of the forms, or the last when there are fewer.
	form, rest, more := strings.Cut(c.T(key), "|")
	for ; i > 0 && more; i-- {
		form, rest, more = strings.Cut(rest, "|")
	}
	return strings.ReplaceAll(form, "%d", c.Count(int64(n)))
}

func russianPlural(n int) int {
	n = max(n, -n)
	switch {
	case n%10 == 1 && n%100 != 11:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 10 || n%100 >= 20):
		return 1
	default:
		return 2
	}
}
