package main

import (
	"bufio"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"elk/testutil"
)

// Thirty parallel tickets of three 10 MB files each, from one logged-in
// user: the serving process, measured alone, stays under 200 MB at its
// peak, and every upload is stored whole or refused with a clear 429 or 413.
func TestParallelUploadsStayWithinMemory(t *testing.T) {
	const (
		uploads  = 30
		files    = 3
		fileSize = 10 << 20
		peakMax  = 200 << 20
	)
	addr := freeAddr(t)
	server := serveAlone(t, "-db", testutil.DemoCopy(t), "-addr", addr)
	base := "http://" + addr
	waitHealthy(t, base+"/healthz")
	c, token := loggedInClient(t, base, "taxi", "taxi123", "/tickets")

	statuses := make([]int, uploads)
	pages := make([]string, uploads)
	var wg sync.WaitGroup
	for i := range uploads {
		wg.Go(func() {
			res, err := c.Do(ticketWithFiles(t, base, token, i, files, fileSize))
			if err != nil {
				t.Errorf("upload %d: %v", i, err)
				return
			}
			defer res.Body.Close()
			page, _ := io.ReadAll(res.Body)
			statuses[i], pages[i] = res.StatusCode, string(page)
		})
	}
	wg.Wait()

	peak := peakMemory(t, server.Process.Pid)
	t.Logf("peak RSS of the server: %d MB", peak>>20)
	if peak > peakMax {
		t.Errorf("peak RSS %d MB, over %d MB", peak>>20, peakMax>>20)
	}
	stored := 0
	for i, status := range statuses {
		switch {
		case status == http.StatusOK && strings.Contains(pages[i], fmt.Sprintf("Загрузка %d", i)):
			stored++ // followed to the new ticket's page
		case status == http.StatusTooManyRequests && strings.Contains(pages[i], "Дождитесь их окончания"):
		case status == http.StatusRequestEntityTooLarge && strings.Contains(pages[i], "Слишком большой запрос"):
		default:
			t.Errorf("upload %d: %d, not stored nor clearly refused", i, status)
		}
	}
	if stored == 0 {
		t.Fatal("no upload was stored")
	}
	// Every stored ticket holds its three files whole.
	for i := range uploads {
		if statuses[i] != http.StatusOK {
			continue
		}
		links := regexp.MustCompile(`href="(/tickets/files/\d+)"`).FindAllStringSubmatch(pages[i], -1)
		if len(links) != files {
			t.Errorf("upload %d: %d files shown", i, len(links))
			continue
		}
		for _, l := range links {
			res, err := c.Get(base + l[1])
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if n != fileSize {
				t.Errorf("upload %d: %s holds %d bytes", i, l[1], n)
			}
		}
	}
	t.Logf("%d stored, the rest refused", stored)
}

// loggedInClient logs in as a browser does and returns the client with the
// session's CSRF token, as the page given shows it.
func loggedInClient(t *testing.T, base, login, password, page string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	token := csrfOf(t, c, base+"/login")
	res, err := c.PostForm(base+"/login", url.Values{"_csrf": {token}, "login": {login}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return c, csrfOf(t, c, base+page)
}

func csrfOf(t *testing.T, c *http.Client, page string) string {
	t.Helper()
	res, err := c.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`name="csrf-token" content="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no CSRF token (%d)", page, res.StatusCode)
	}
	return string(m[1])
}

// ticketWithFiles is a new ticket's form, as a browser sends it, with its
// files made as they are sent: the client holds none of them.
func ticketWithFiles(t *testing.T, base, token string, n, files, size int) *http.Request {
	write := func(w io.Writer) error {
		mw := multipart.NewWriter(w)
		mw.SetBoundary("elk-upload-boundary")
		for _, f := range [][2]string{{"_csrf", token}, {"subject", fmt.Sprintf("Загрузка %d", n)}, {"priority", "normal"},
			{"body", "Журналы сервера во вложении"}} {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				return err
			}
		}
		line := []byte(strings.Repeat("2026 INFO all is well\n", 1489)) // 32,758 bytes
		for i := range files {
			part, err := mw.CreateFormFile("files", fmt.Sprintf("server-%d.log", i))
			if err != nil {
				return err
			}
			for left := size; left > 0; left -= len(line) {
				if _, err := part.Write(line[:min(left, len(line))]); err != nil {
					return err
				}
			}
		}
		return mw.Close()
	}
	counter := &byteCounter{}
	if err := write(counter); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	req, err := http.NewRequest(http.MethodPost, base+"/tickets", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = counter.n
	req.Header.Set("Content-Type", "multipart/form-data; boundary=elk-upload-boundary")
	return req
}

type byteCounter struct{ n int64 }

func (c *byteCounter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// serveAlone runs elk with args in a process of its own (this test binary
// again, see TestMain), stopped when the test ends.
func serveAlone(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveAloneEnv+"="+strings.Join(args, "\n"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	return cmd
}

// peakMemory is a process's peak RSS (VmHWM), in bytes.
func peakMemory(t *testing.T, pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}
