package handlers_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formPart is one part of a hand-made multipart form, in the order sent.
type formPart struct {
	name, file string // file empty for a text field
	data       string
}

// postParts sends the parts in order, as the body's full length or, with
// chunked, without one.
func (c *client) postParts(path string, header map[string]string, chunked bool, parts ...formPart) *response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, p := range parts {
		var pw io.Writer
		var err error
		if p.file == "" {
			pw, err = w.CreateFormField(p.name)
		} else {
			pw, err = w.CreateFormFile(p.name, p.file)
		}
		if err != nil {
			c.t.Fatal(err)
		}
		io.WriteString(pw, p.data)
	}
	w.Close()
	var r io.Reader = &body
	if chunked {
		r = io.MultiReader(&body) // hides the length: the client sends it chunked
	}
	req, err := http.NewRequest(http.MethodPost, c.e.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// The CSRF token of a form with files is checked before any file is kept:
// it comes first, or in htmx's header; a form without it, or with it after
// the files, stores nothing and leaves no file behind.
func TestUploadTokenComesBeforeFiles(t *testing.T) {
	// Not parallel: no other test's upload waits in $TMPDIR meanwhile.
	waiting := func() []string {
		files, _ := filepath.Glob(filepath.Join(os.TempDir(), "elk-upload-*"))
		return files
	}
	already := waiting()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	token := taxi.token()
	text := []formPart{{name: "subject", data: "Журнал"}, {name: "priority", data: "normal"}, {name: "body", data: "Во вложении"}}
	// Over the 64 KB read whole, so that the form is read as it arrives.
	file := formPart{name: "files", file: "server.log", data: strings.Repeat("2026 INFO all is well\n", 5000)}
	tickets := func() int { return e.sqlInt(`SELECT count(*) FROM tickets`) }
	before := tickets()

	for _, tc := range []struct {
		name   string
		parts  []formPart
		header map[string]string
	}{
		{"no token", append(text, file), nil},
		{"a wrong token", append([]formPart{{name: "_csrf", data: strings.Repeat("0", 64)}}, append(text, file)...), nil},
		{"the token after the file", append(append(text, file), formPart{name: "_csrf", data: token}), nil},
		{"another site's page", append([]formPart{{name: "_csrf", data: token}}, append(text, file)...), map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		if r := taxi.postParts("/tickets", tc.header, false, tc.parts...); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", tc.name, r.Status)
		}
	}
	if n := tickets(); n != before {
		t.Errorf("%d tickets stored without a token", n-before)
	}

	// The token first (a browser's form), or in the header (htmx): stored.
	first := taxi.postParts("/tickets", nil, false, append([]formPart{{name: "_csrf", data: token}}, append(text, file)...)...)
	header := taxi.postParts("/tickets", map[string]string{"X-CSRF-Token": token}, true, append(text, file)...)
	if first.Status != http.StatusSeeOther || header.Status != http.StatusSeeOther {
		t.Errorf("with the token: %d first, %d in the header", first.Status, header.Status)
	}
	if r := taxi.follow(header.Location()); !strings.Contains(r.Text(".thread .files"), "server.log") {
		t.Errorf("the file is not in the thread: %q", r.Text(".thread"))
	}
	if left := waiting(); len(left) != len(already) {
		t.Errorf("files left waiting: %v", left)
	}
}

// A form with files has limits of its own, whatever the client says of its
// length: a chunked body over it, or too much text, is refused; files are
// refused one by one with the reason, and the text typed is kept.
func TestUploadLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	csrf := formPart{name: "_csrf", data: taxi.token()}
	text := []formPart{csrf, {name: "subject", data: "Снимки"}, {name: "priority", data: "normal"}, {name: "body", data: "Ошибка на экране"}}
	big := strings.Repeat("x", 10<<20)

	// Over the form's 31 MB by less than the server reads past an answer,
	// so that the client, still sending, gets it.
	over := append(append([]formPart{}, text...),
		formPart{name: "files", file: "a.log", data: big}, formPart{name: "files", file: "b.log", data: big},
		formPart{name: "files", file: "c.log", data: big}, formPart{name: "files", file: "d.log", data: strings.Repeat("x", 1<<20+100<<10)})
	if r := taxi.postParts("/tickets", nil, true, over...); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a chunked form over 31 MB: %d", r.Status)
	}
	hugeText := append(append([]formPart{}, text...), formPart{name: "body", data: strings.Repeat("я", 200<<10)})
	if r := taxi.postParts("/tickets", nil, false, hugeText...); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("400 KB of text: %d", r.Status)
	}

	for _, tc := range []struct {
		files []formPart
		want  string
	}{
		{[]formPart{{name: "files", file: "big.log", data: big + "x"}}, "10"},
		{[]formPart{{name: "files", file: "a.exe", data: "MZ"}}, "Такой файл"},
		{[]formPart{{name: "files", file: "photo.png", data: "not a png"}}, "не соответствует"},
		{[]formPart{{name: "files", file: "empty.log"}}, "пуст"},
		{[]formPart{{name: "files", file: "1.log", data: "1"}, {name: "files", file: "2.log", data: "2"},
			{name: "files", file: "3.log", data: "3"}, {name: "files", file: "4.log", data: "4"}}, "3"},
	} {
		r := taxi.postParts("/tickets", nil, false, append(append([]formPart{}, text...), tc.files...)...)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text("#ticket-form"), tc.want) {
			t.Errorf("%s: %d %q", tc.files[0].file, r.Status, r.Text("#ticket-form .error"))
		}
		if v, _ := r.Find(`#ticket-form input[name="subject"]`).Attr("value"); v != "Снимки" {
			t.Errorf("%s: the subject typed is gone: %q", tc.files[0].file, v)
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM tickets WHERE subject = 'Снимки'`); n != 0 {
		t.Errorf("%d refused tickets stored", n)
	}
}

// A stored file is sent as it was received, however big.
func TestBigFileComesBackWhole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	data := make([]byte, 3<<20+12345)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	path := openTicket(t, taxi, "Журнал", "Весь журнал", upload{"full.log", data})
	href, _ := taxi.follow(path).Find(`.thread .files a:contains("full.log")`).Attr("href")
	r := taxi.get(href)
	if r.Status != http.StatusOK || r.Body != string(data) {
		t.Errorf("%d, %d bytes (want %d)", r.Status, len(r.Body), len(data))
	}
}
