package handlers

import (
	"bufio"
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// txPageSize is a page of the Транзакции tab and of the SMS list.
const txPageSize = 50

// cardTxPageSize is a page of a service card's transactions. The card is an
// overview under the balance, subscriptions and months, as the back office's
// page of a service is with its latest 20; «Показать ещё» brings more, and
// the tab has them all 50 a page, with the CSV.
const cardTxPageSize = 20

// transactionsPage is the Транзакции tab: every transaction of every service, filtered.
type transactionsPage struct {
	*Page
	Services     []db.CompanyService
	Sources      []string
	ServiceID    int64
	Source       string
	Period       period
	Transactions txRowsData
	CSVURL       string
	PeriodFix    emptyState // instead of the list while the period is wrong
	Part         bool       // only the results are sent, to swap under the form as typed
}

// txRowsData is what partials/tx_rows takes, in a page or as the htmx
// fragment that brings the next page.
type txRowsData struct {
	*Page
	Columns     txColumns
	Rows        []txRow
	ShowService bool // a column for the service: the list of every service's transactions
	NextURL     string
	Empty       emptyState
}

// ColumnCount is how many columns the rows have, for a cell across them all.
func (d txRowsData) ColumnCount() int {
	if d.ShowService {
		return 5
	}
	return 4
}

// txColumns name the table's columns, in its heads and before each value
// on a phone (data-label), translated once for the table (as smsColumns).
type txColumns struct{ Date, Service, Source, Description, Amount string }

// txRow is a transaction as a row, ready to print.
type txRow struct {
	At          string
	Service     string
	Source      string
	SourceClass string
	Description string
	Amount      string
	AmountClass string // the sign's colour
}

// allTxRows are the rows of the list of every service's transactions,
// each naming its service; next is the link to the next page, if any.
func allTxRows(p *Page, txs []db.Transaction, next string) txRowsData {
	return newTxRows(p, txs, next, true)
}

// serviceTxRows are the rows of one service's transactions.
func serviceTxRows(p *Page, txs []db.Transaction, next string) txRowsData {
	return newTxRows(p, txs, next, false)
}

func newTxRows(p *Page, txs []db.Transaction, next string, showService bool) txRowsData {
	rows := make([]txRow, len(txs))
	for i, tx := range txs {
		sign := "num pos"
		if tx.Amount < 0 {
			sign = "num neg"
		}
		rows[i] = txRow{At: p.DateTime(tx.CreatedAt), Source: p.T("source." + tx.Source), SourceClass: "src src-" + tx.Source,
			Description: tx.Description, Amount: tx.Amount.String(), AmountClass: sign}
		if showService {
			rows[i].Service = p.T("service." + tx.ServiceCode)
		}
	}
	columns := txColumns{Date: p.T("transactions.date"), Service: p.T("transactions.service"), Source: p.T("transactions.source"),
		Description: p.T("transactions.description"), Amount: p.T("transactions.amount")}
	return txRowsData{Page: p, Columns: columns, Rows: rows, ShowService: showService, NextURL: next,
		Empty: emptyList(p, "transactions.none", false, "")}
}

func (s *Server) listTransactions(c *fiber.Ctx) error {
	co := state(c).company
	p := s.page(c, "transactions", "transactions.title")
	f, data, err := s.transactionFilter(c, p)
	if err != nil {
		return err
	}
	after, err := cursorParam(c)
	if err != nil {
		return err
	}
	var rows []db.Transaction
	var next *db.TxCursor
	if data.Period.Error == "" { // a wrong period shows no list, not one for another period
		if rows, next, err = s.store.Transactions(c.UserContext(), co.ID, f, after, txPageSize); err != nil {
			return err
		}
	}
	data.Transactions = allTxRows(p, rows, nextPageURL(c, "/transactions", next))
	data.CSVURL = "/transactions.csv"
	if q := filterQuery(c); q != "" {
		data.CSVURL += "?" + q
		data.Transactions.Empty = emptyList(p, "transactions.none", true, "/transactions")
	}
	data.PeriodFix = periodFix(p, "/transactions")
	data.Part = isPartRequest(c)
	whole := func() error { return s.render(c, fiber.StatusOK, "transactions/list", p, data) }
	return s.partOrPage(c, whole, pagePart{"tx-more", "partials/tx_rows", data.Transactions},
		pagePart{"tx-results", "transactions/results", data})
}

// transactionFilter reads the filters from the URL. A service of another
// company is a 404, like any other object id that is not the session's.
func (s *Server) transactionFilter(c *fiber.Ctx, p *Page) (db.TxFilter, transactionsPage, error) {
	co := state(c).company
	services, err := s.store.CompanyServiceChoices(c.UserContext(), co.ID)
	if err != nil {
		return db.TxFilter{}, transactionsPage{}, err
	}
	data := transactionsPage{Page: p, Services: services, Sources: db.Sources, Period: parsePeriod(c, co.Location())}
	var f db.TxFilter
	if raw := c.Query("service"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !slices.ContainsFunc(services, func(cs db.CompanyService) bool { return cs.ID == id }) {
			return f, data, fiber.ErrNotFound
		}
		f.CompanyServiceID, data.ServiceID = id, id
	}
	if i := slices.Index(db.Sources, c.Query("source")); i >= 0 {
		f.Source, data.Source = db.Sources[i], db.Sources[i] // the catalog's string, not the request's memory
	}
	return data.Period.apply(f), data, nil
}

// exportTransactions streams exactly the filtered transactions as CSV that
// Excel opens in a Russian locale: UTF-8 with BOM, ";" between fields,
// decimal commas.
func (s *Server) exportTransactions(c *fiber.Ctx) error {
	co := *state(c).company
	p := s.page(c, "transactions", "transactions.title")
	f, data, err := s.transactionFilter(c, p)
	if err != nil {
		return err
	}
	if data.Period.Error != "" {
		return fiber.NewError(fiber.StatusUnprocessableEntity, data.Period.Error) // never export more than was asked for
	}
	loc := co.Location()
	header := []string{p.T("transactions.date"), p.T("transactions.service"), p.T("transactions.source"),
		p.T("transactions.description"), p.T("transactions.amount")}
	names := map[string]string{}
	for _, code := range db.ServiceCodes {
		names["service."+code] = p.T("service." + code)
	}
	for _, src := range db.Sources {
		names["source."+src] = p.T("source." + src)
	}
	name := "transactions-" + db.Today(s.store.Now(), loc).Format("2006-01-02")
	return s.streamCSV(c, name, header, func(row func([]string) error) error {
		return s.store.EachTransaction(context.Background(), co.ID, f, func(t db.Transaction) error {
			return row([]string{t.CreatedAt.In(loc).Format("02.01.2006 15:04"), csvText(names["service."+t.ServiceCode]),
				csvText(names["source."+t.Source]), csvText(t.Description), csvAmount(t.Amount)})
		})
	})
}

// streamCSV sends a CSV download that Excel opens in a Russian locale
// (UTF-8 with BOM, ";" between fields), streamed while each reads the rows.
// The stream runs after the handler returns: each must use only copied values.
func (s *Server) streamCSV(c *fiber.Ctx, name string, header []string, each func(row func([]string) error) error) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	for i := range header {
		header[i] = csvText(header[i])
	}
	log := s.log(c) // the context is gone when the stream runs
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		w.WriteString("\ufeff")
		writeCSVRow(w, header)
		rows := 0
		err := each(func(cells []string) error {
			writeCSVRow(w, cells)
			if rows++; rows%1000 == 0 {
				return w.Flush() // send as it goes; a closed connection stops the export here
			}
			return nil
		})
		if err != nil {
			log.Error("csv export failed", "file", name, "err", err)
		}
	})
	return nil
}

// csvAmount writes money as a number Excel reads in a Russian locale: "-1234,56".
func csvAmount(k money.Kopecks) string { return strings.ReplaceAll(k.Plain(), ".", ",") }

// writeCSVRow writes one ";"-separated row; text cells come through csvText.
func writeCSVRow(w *bufio.Writer, cells []string) {
	for i, cell := range cells {
		if i > 0 {
			w.WriteByte(';')
		}
		w.WriteString(cell)
	}
	w.WriteString("\r\n")
}

// csvText makes a text cell safe: a leading formula sign (= + - @, tab or
// carriage return) gets a quote before it, so a spreadsheet shows the text
// and never runs it, and the cell is quoted when it holds a separator.
// Amounts are written apart, so "-1234,56" stays a number. Other control
// characters (a NUL stored before the API refused them) are dropped.
func csvText(s string) string {
	s = strings.Map(func(r rune) rune {
		if refusedControl(r, true) && r != '\r' {
			return -1
		}
		return r
	}, s)
	quote := strings.ContainsAny(s, ";\"\r\n")
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		s, quote = "'"+s, true
	}
	if quote {
		s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// cursorParam reads ?after=, the keyset cursor of the next page; a malformed one is a 404.
func cursorParam(c *fiber.Ctx) (*db.TxCursor, error) {
	raw := c.Query("after")
	if raw == "" {
		return nil, nil
	}
	cur, ok := db.ParseTxCursor(raw)
	if !ok {
		return nil, fiber.ErrNotFound
	}
	return &cur, nil
}

// nextPageURL is the URL of the page after the cursor, with the same filters.
func nextPageURL(c *fiber.Ctx, path string, next *db.TxCursor) string {
	if next == nil {
		return ""
	}
	q, _ := url.ParseQuery(filterQuery(c))
	q.Set("after", next.String())
	return path + "?" + q.Encode()
}

func urlEscape(s string) string { return url.QueryEscape(s) }

// filterQuery is the request's filters (not its page) as a query string.
func filterQuery(c *fiber.Ctx) string {
	q := url.Values{}
	for _, k := range []string{"service", "source", "from", "to", "status"} {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}
