package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/gofiber/template/html/v2"
)

// frame is what a layout shows around a page's own part: values only, so
// that the layout rendered for one request serves every later request with
// the same frame (the same user, page title, tab and bell), and the layout
// can show nothing that is not here.
type frame struct {
	Layout      string
	Lang        string
	CSRF        string
	Title       string
	Home        string
	Staff       bool
	Role        string // the user's; empty for a visitor
	UserName    string
	UserLogin   string
	CompanyName string
	Active      string // the current tab
	Unread      int
	Flash       string // translation key
	FlashErr    bool
}

// frame is the page's frame in the layout.
func (p *Page) frame(layout string) frame {
	f := frame{Layout: layout, Lang: p.Lang, CSRF: p.CSRF, Title: p.Title, Home: p.Home, Staff: p.Staff, Active: p.Active,
		Unread: p.Unread, CompanyName: p.Company.Name, Flash: p.Flash, FlashErr: p.FlashErr}
	if p.User.ID != 0 {
		f.Role, f.UserName, f.UserLogin = p.User.Role, p.User.Name, p.User.Login
	}
	return f
}

// framed is a layout's data: the frame, what its language makes of it,
// and the page.
type framed struct {
	frame
	Tabs      template.HTML
	RoleName  string
	FlashText string
	Content   template.HTML
}

// dress adds to a frame what its language derives from it: the role's
// tabs, the role's name and the flash message.
func (s *Server) dress(f frame) framed {
	cat := s.catalogs.Get(f.Lang)
	d := framed{frame: f, Tabs: s.tabLinks(f)}
	if f.Role != "" {
		d.RoleName = cat.T("role." + f.Role)
	}
	if f.Flash != "" {
		d.FlashText = cat.T(f.Flash)
	}
	return d
}

// contentMark stands for the page's part while a layout is rendered alone.
const contentMark = "\x00content\x00"

// frames remembers the layouts of logged-in users' frames, rendered around
// the mark and split there. A visitor's frame (a new token each time) is
// not kept.
type frames struct {
	mu   sync.Mutex
	done map[frame][2]string
}

// maxFrames bounds the memo (a header is about 3 KB); when it is full, an
// arbitrary entry makes way for the new one.
const maxFrames = 2048

// around returns the layout's markup before and after the page's part.
func (fs *frames) around(engine *html.Engine, f frame, dress func(frame) framed) (before, after string, err error) {
	fs.mu.Lock()
	parts, ok := fs.done[f]
	fs.mu.Unlock()
	if ok {
		return parts[0], parts[1], nil
	}
	var b bytes.Buffer
	data := dress(f)
	data.Content = contentMark
	if err := engine.Render(&b, f.Layout, data); err != nil {
		return "", "", fmt.Errorf("render %s: %w", f.Layout, err)
	}
	before, after, ok = strings.Cut(b.String(), contentMark)
	if !ok {
		return "", "", fmt.Errorf("render %s: the layout does not show its content", f.Layout)
	}
	if f.Role == "" {
		return before, after, nil
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.done == nil {
		fs.done = make(map[frame][2]string)
	}
	if len(fs.done) >= maxFrames {
		for k := range fs.done { // map order is random: an arbitrary entry
			delete(fs.done, k)
			break
		}
	}
	fs.done[f] = [2]string{before, after}
	return before, after, nil
}
