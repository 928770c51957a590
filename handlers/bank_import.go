package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/bankexchange"
)

// bankImportPage is «Загрузить выписку»: the form and the statements loaded.
type bankImportPage struct {
	*Page
	Error    string // why the file was refused, in the user's language
	FileName string // the file refused, named again
	Imports  []db.BankImport
}

const bankImportsShown = 50

func (s *Server) showBankImport(c *fiber.Ctx) error {
	return s.renderBankImport(c, fiber.StatusOK, "", "")
}

func (s *Server) renderBankImport(c *fiber.Ctx, status int, errText, fileName string) error {
	imports, err := s.store.BankImports(c.UserContext(), bankImportsShown)
	if err != nil {
		return err
	}
	p := s.page(c, "invoices", "bank.title")
	return s.render(c, status, "admin/bank_import", p, bankImportPage{Page: p, Error: errText, FileName: fileName, Imports: imports})
}

// uploadStatement reads the statement staff chose, keeps it if it is one,
// and opens its preview; a file that is not gets its line and reason.
func (s *Server) uploadStatement(c *fiber.Ctx) error {
	form, err := s.readUpload(c, statementUploads)
	if err != nil {
		return err
	}
	defer form.close()
	p := s.page(c, "", "")
	switch {
	case form.problem == "tickets.file_too_big":
		return s.renderBankImport(c, fiber.StatusUnprocessableEntity, p.T("bank.too_big"), "")
	case len(form.files) == 0:
		return s.renderBankImport(c, fiber.StatusUnprocessableEntity, p.T("bank.no_file"), "")
	}
	sf := form.files[0]
	name := cleanText(filepath.Base(sf.name))
	file := make([]byte, sf.size)
	if _, err := sf.file.ReadAt(file, 0); err != nil {
		return err
	}
	st, err := bankexchange.Parse(bytes.NewReader(file))
	var perr *bankexchange.Error
	if errors.As(err, &perr) {
		return s.renderBankImport(c, fiber.StatusUnprocessableEntity, statementError(p, perr), name)
	}
	if err != nil {
		return err
	}
	id, err := s.store.AddBankImport(c.UserContext(), s.actor(c), name, file, st)
	if err != nil {
		return err
	}
	return c.Redirect("/admin/payments/imports/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// statementError says what is wrong with a statement, and on which line.
func statementError(p *Page, e *bankexchange.Error) string {
	text := p.T(e.Reason)
	if e.Text != "" {
		text += " «" + truncate(e.Text, 80) + "»"
	}
	if e.Line > 0 {
		text = p.T("bank.at_line", strconv.Itoa(e.Line)) + " " + text // a line number, never grouped
	}
	return text
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// importParam is the :id bank import.
func (s *Server) importParam(c *fiber.Ctx) (db.BankImport, []byte, error) {
	id, err := idParam(c)
	if err != nil {
		return db.BankImport{}, nil, err
	}
	return s.store.BankImport(c.UserContext(), id)
}

// bankPreviewPage is a loaded statement: its payments as matched, to
// choose and record while pending; what they became once recorded.
type bankPreviewPage struct {
	*Page
	Import   db.BankImport
	Rows     []bankRow
	Counts   map[string]int // by match kind
	Recorded []db.BankPayment
}

func (s *Server) showStatement(c *fiber.Ctx) error {
	imp, file, err := s.importParam(c)
	if err != nil {
		return err
	}
	p := s.page(c, "invoices", "bank.title")
	p.Title = p.T("bank.import_title", imp.FileName)
	data := bankPreviewPage{Page: p, Import: imp}
	if imp.Status == db.ImportDone {
		if data.Recorded, err = s.store.ImportPayments(c.UserContext(), imp.ID); err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "admin/bank_statement", p, data)
	}
	st, err := bankexchange.Parse(bytes.NewReader(file))
	if err != nil {
		return err // it parsed when it was kept
	}
	matches, err := s.store.MatchStatement(c.UserContext(), st)
	if err != nil {
		return err
	}
	if data.Rows, err = s.bankRows(c, p, matches); err != nil {
		return err
	}
	data.Counts = map[string]int{}
	for _, m := range matches {
		data.Counts[m.Kind]++
	}
	return s.render(c, fiber.StatusOK, "admin/bank_statement", p, data)
}

// recordStatement records the payments staff left chosen.
func (s *Server) recordStatement(c *fiber.Ctx) error {
	imp, _, err := s.importParam(c)
	if err != nil {
		return err
	}
	var choices []db.BankChoice
	for k, v := range c.Request().PostArgs().All() {
		index, ok := strings.CutPrefix(string(k), "pick_")
		if !ok || len(v) == 0 {
			continue
		}
		i, errIndex := strconv.Atoi(index)
		kind, id, found := strings.Cut(string(v), ":")
		n, errID := strconv.ParseInt(id, 10, 64)
		switch {
		case errIndex != nil || errID != nil || !found || i < 0 || n <= 0:
			return fiber.ErrBadRequest
		case kind == "invoice":
			choices = append(choices, db.BankChoice{Index: i, InvoiceID: n})
		case kind == "service":
			choices = append(choices, db.BankChoice{Index: i, ServiceID: n})
		default:
			return fiber.ErrBadRequest
		}
	}
	_, err = s.store.RecordBankImport(c.UserContext(), s.actor(c), imp.ID, choices)
	switch {
	case errors.Is(err, db.ErrImportDone):
		s.setFailedFlash(c, "bank.already_done")
	case err != nil:
		s.log(c).Error("bank import: some payments were not recorded", "import", imp.ID, "err", err)
		s.setFailedFlash(c, "bank.some_failed")
	default:
		s.setFlash(c, "bank.recorded")
	}
	return c.Redirect(fmt.Sprintf("/admin/payments/imports/%d", imp.ID), fiber.StatusSeeOther)
}
