package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"html/template"
	"regexp"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// servicesPage is the Услуги tab: a card per active service.
type servicesPage struct {
	*Page
	Cards  template.HTML
	OneOff *oneOffOffer
}

// oneOffOffer is the one-off support request a company in Russia can buy.
type oneOffOffer struct {
	Service db.CompanyService // the technical support it is bought for
	Tariff  db.Tariff
	Key     string // idempotency key of this purchase form
	Missing db.Kopecks
}

func (s *Server) listServices(c *fiber.Ctx) error {
	co := state(c).company
	services, err := s.store.CompanyServices(c.UserContext(), co.ID, true)
	if err != nil {
		return err
	}
	p := s.page(c, "services", "services.title")
	data := servicesPage{Page: p, Cards: serviceCards(p, services)}
	if data.OneOff, err = s.oneOffOffer(c, services); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "services/list", p, data)
}

// oneOffOffer finds the one-off support tariff on offer today, for a company
// in Russia whose technical support is on and within its period; nil when
// there is none.
func (s *Server) oneOffOffer(c *fiber.Ctx, services []db.CompanyService) (*oneOffOffer, error) {
	co := state(c).company
	today := db.Today(s.store.Now(), co.Location())
	i := slices.IndexFunc(services, func(cs db.CompanyService) bool {
		return cs.ServiceCode == db.ServiceSupport && cs.Active && !today.Before(cs.PeriodFrom) && (cs.PeriodTo == nil || !today.After(*cs.PeriodTo))
	})
	if co.Country != "RU" || i < 0 {
		return nil, nil
	}
	tariffs, err := s.store.Tariffs(c.UserContext(), services[i].ServiceID)
	if err != nil {
		return nil, err
	}
	for _, t := range tariffs {
		if t.Unit == db.UnitRequest && t.ValidOn(today) {
			return &oneOffOffer{Service: services[i], Tariff: t, Key: newFormKey()}, nil
		}
	}
	return nil, nil
}

// newFormKey makes the idempotency key a purchase form carries, so a double
// click or a repeated post buys once.
func newFormKey() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

var formKeyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// servicePage is one service's card: tariff, period, subscriptions, statistics, transactions.
type servicePage struct {
	*Page
	Service       db.CompanyService
	Status        string
	Chips         template.HTML // the subscriptions' status filter
	Subscriptions template.HTML // the rows of the subscriptions' table
	Months        template.HTML // the rows of the monthly statistics
	Period        period
	Transactions  []db.Transaction
	NextURL       string
	OneOff        *oneOffOffer
	OneOffError   string // translation key
}

// subscriptionRows writes a service's subscriptions as table rows.
func subscriptionRows(p *Page, subs []db.Subscription) template.HTML {
	rows := newTableRows(len(subs), p.T("services.tariff"), p.T("services.kind"), p.T("services.period"), p.T("services.price"), p.T("services.status"))
	for _, sub := range subs {
		rows.row(cell{text: sub.TariffName}, cell{text: p.T("kind." + sub.Kind)}, cell{text: p.Day(sub.PeriodFrom) + " — " + p.Day(sub.PeriodTo)},
			cell{text: sub.Price.String(), class: "num"}, cell{text: p.T("status." + sub.Status), span: "badge st-" + sub.Status})
	}
	return rows.HTML()
}

// monthRows writes a service's monthly totals as table rows, each month's
// spending also as a bar against the largest.
func monthRows(p *Page, months []db.MonthTotal) template.HTML {
	var most db.Kopecks
	for _, m := range months {
		most = max(most, m.Debits)
	}
	rows := newTableRows(len(months), p.T("services.month"), p.T("services.spent"), "", p.T("services.received"), p.T("services.operations"))
	for _, m := range months {
		bar := template.HTML(`<meter min="0" max="` + most.Plain() + `" value="` + m.Debits.Plain() + `"></meter>`)
		rows.row(cell{text: p.Month(m.Month)}, cell{text: m.Debits.String(), class: "num"}, cell{html: bar, class: "bar-col"},
			cell{text: m.Credits.String(), class: "num"}, cell{text: strconv.Itoa(m.Count), class: "num"})
	}
	return rows.HTML()
}

func (s *Server) showService(c *fiber.Ctx) error {
	cs, err := s.companyServiceParam(c)
	if err != nil {
		return err
	}
	return s.renderService(c, fiber.StatusOK, cs, nil, "")
}

func (s *Server) renderService(c *fiber.Ctx, status int, cs db.CompanyService, offer *oneOffOffer, offerError string) error {
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "services", "services.title")
	p.Title = p.T("service." + cs.ServiceCode)
	p.Path = "/services/" + strconv.FormatInt(cs.ID, 10)
	data := servicePage{Page: p, Service: cs, Period: parsePeriod(c, co.Location()), OneOffError: offerError}
	if st := c.Query("status"); slices.Contains(db.Statuses, st) {
		data.Status = st
	}
	data.Chips = chips(p, "services.all", db.Statuses, data.Status, "status.", func(v string) string { return "?status=" + v + "#subscriptions" })
	subs, err := s.store.Subscriptions(ctx, co.ID, cs.ID, data.Status)
	if err != nil {
		return err
	}
	data.Subscriptions = subscriptionRows(p, subs)
	months, err := s.store.MonthTotals(ctx, cs.ID, 12)
	if err != nil {
		return err
	}
	data.Months = monthRows(p, months)
	after, err := cursorParam(c)
	if err != nil {
		return err
	}
	rows, next, err := s.store.Transactions(ctx, co.ID, data.Period.apply(db.TxFilter{CompanyServiceID: cs.ID}), after, cardTxPageSize)
	if err != nil {
		return err
	}
	data.Transactions, data.NextURL = rows, nextPageURL(c, p.Path, next)
	if wantsFragment(c, "tx-more") {
		return s.fragment(c, "partials/tx_rows", newTxRows(p, rows, data.NextURL, false))
	}
	if offer != nil {
		data.OneOff = offer
	} else if cs.ServiceCode == db.ServiceSupport {
		if data.OneOff, err = s.oneOffOffer(c, []db.CompanyService{cs}); err != nil {
			return err
		}
	}
	return s.render(c, status, "services/show", p, data)
}

// buyOneOff buys a one-off technical support request at the current tariff,
// paid from the support balance. Only companies registered in Russia are
// offered it; a forged post from another is refused as if the URL did not exist.
func (s *Server) buyOneOff(c *fiber.Ctx) error {
	cs, err := s.companyServiceParam(c)
	if err != nil {
		return err
	}
	offer, err := s.oneOffOffer(c, []db.CompanyService{cs})
	if err != nil {
		return err
	}
	key := c.FormValue("key")
	if offer == nil || cs.ServiceCode != db.ServiceSupport || !formKeyPattern.MatchString(key) {
		return fiber.ErrNotFound
	}
	offer.Key = clone(key)
	co := state(c).company
	today := db.Today(s.store.Now(), co.Location())
	from, to := db.OneOffPeriod(today)
	_, err = s.store.Subscribe(c.UserContext(), s.actor(c), db.NewSubscription{
		Service: cs, Tariff: offer.Tariff, Kind: db.KindOneOff, PeriodFrom: from,
		PeriodTo: to, Today: today, RequireFunds: true,
		Key: "oneoff:" + strconv.FormatInt(cs.ID, 10) + ":" + offer.Key,
	})
	var short db.InsufficientFunds
	if errors.As(err, &short) {
		offer.Missing = short.Missing
		return s.renderService(c, fiber.StatusUnprocessableEntity, cs, offer, "services.insufficient")
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "services.one_off_bought")
	return c.Redirect("/services/"+strconv.FormatInt(cs.ID, 10), fiber.StatusSeeOther)
}

// companyServiceParam looks the :id service up within the session's company
// only; a switched-off service is not shown to the client.
func (s *Server) companyServiceParam(c *fiber.Ctx) (db.CompanyService, error) {
	id, err := idParam(c)
	if err != nil {
		return db.CompanyService{}, err
	}
	cs, err := s.store.CompanyService(c.UserContext(), state(c).company.ID, id)
	if err == nil && !cs.Active {
		return cs, fiber.ErrNotFound
	}
	return cs, err
}
