package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// servicesPage is the Услуги tab: a card per active service.
type servicesPage struct {
	*Page
	Cards  []serviceCard
	OneOff *oneOffOffer
}

// oneOffOffer is the one-off support request a company in Russia can buy.
type oneOffOffer struct {
	Service db.CompanyService // the technical support it is bought for
	Tariff  db.Tariff
	Key     string        // idempotency key of this purchase form
	Missing money.Kopecks // when the balance is short
	Until   time.Time     // when one bought before is still open: its last day
}

func (s *Server) listServices(c *fiber.Ctx) error {
	co := state(c).company
	services, err := s.store.CompanyServices(c.UserContext(), co.ID, true)
	if err != nil {
		return err
	}
	forecasts, err := s.store.ServiceForecasts(c.UserContext(), co.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "services", "services.title")
	data := servicesPage{Page: p, Cards: serviceCards(p, services, forecasts)}
	if p.may("POST /services/:id/one-off") {
		if data.OneOff, err = s.oneOffOffer(c, services); err != nil {
			return err
		}
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
	Summary       serviceSummary
	Status        string
	Chips         []navLink // the subscriptions' status filter
	Subscriptions []subscriptionRow
	Months        []monthRow
	Period        period
	PeriodFix     emptyState // instead of the transactions while the period is wrong
	Transactions  txRowsData
	OneOff        *oneOffOffer
	OneOffError   string // translation key
}

// subscriptionRow is a row of a service's subscriptions.
type subscriptionRow struct {
	Tariff, Kind, Period, Price string
	Status, StatusClass         string
}

func subscriptionRows(p *Page, subs []db.Subscription) []subscriptionRow {
	rows := make([]subscriptionRow, len(subs))
	for i, sub := range subs {
		rows[i] = subscriptionRow{Tariff: sub.TariffName, Kind: p.T("kind." + sub.Kind), Period: p.Day(sub.PeriodFrom) + " — " + p.Day(sub.PeriodTo),
			Price: sub.Price.String(), Status: p.T("status." + sub.Status), StatusClass: "badge st-" + sub.Status}
	}
	return rows
}

// monthRow is a month of a service's statistics; its spending is also a
// bar (a <meter>) against the largest month's, Max.
type monthRow struct {
	Month, Spent, Received string
	Count                  string
	Value, Max             string // the meter's, in roubles
}

func monthRows(p *Page, months []db.MonthTotal) []monthRow {
	var most money.Kopecks
	for _, m := range months {
		most = max(most, m.Debits)
	}
	rows := make([]monthRow, len(months))
	for i, m := range months {
		rows[i] = monthRow{Month: p.Month(m.Month), Spent: m.Debits.String(), Received: m.Credits.String(), Count: p.Count(m.Count),
			Value: m.Debits.Plain(), Max: most.Plain()}
	}
	return rows
}

func (s *Server) showService(c *fiber.Ctx) error {
	cs, err := s.companyServiceParam(c)
	if err != nil {
		return err
	}
	return s.renderService(c, fiber.StatusOK, cs, nil, "")
}

// renderService writes a service's page, or only the next transactions
// for «Показать ещё», reading nothing else for them.
func (s *Server) renderService(c *fiber.Ctx, status int, cs db.CompanyService, offer *oneOffOffer, offerError string) error {
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "services", "services.title")
	p.Title = p.T("service." + cs.ServiceCode)
	p.Path = "/services/" + strconv.FormatInt(cs.ID, 10)
	data := servicePage{Page: p, Service: cs, Period: parsePeriod(c, co.Location()), OneOffError: offerError}
	// The card's transactions are shown to whom the Транзакции tab is.
	if p.may("GET /transactions") {
		after, err := cursorParam(c)
		if err != nil {
			return err
		}
		var rows []db.Transaction
		var next *db.TxCursor
		if data.Period.Error == "" { // a wrong period shows no list, not one for another period
			rows, next, err = s.store.Transactions(ctx, co.ID, data.Period.apply(db.TxFilter{CompanyServiceID: cs.ID}), after, cardTxPageSize)
			if err != nil {
				return err
			}
		}
		data.Transactions = serviceTxRows(p, rows, nextPageURL(c, p.Path, next))
		reset := p.Path + "#transactions"
		data.Transactions.Empty = emptyList(p, "transactions.none", data.Period.From != "" || data.Period.To != "", reset)
		data.PeriodFix = periodFix(p, reset)
	} else if isPartRequest(c) && c.Get("HX-Target") == "tx-more" {
		return fiber.NewError(fiber.StatusForbidden, "error.role_forbidden")
	}
	whole := func() error {
		forecasts, err := s.store.ServiceForecasts(ctx, co.ID)
		if err != nil {
			return err
		}
		data.Summary = newServiceSummary(p, cs, forecasts[cs.ID])
		if st := c.Query("status"); slices.Contains(db.Statuses, st) {
			data.Status = st
		}
		data.Chips = filterLinks(p, "services.all", db.Statuses, data.Status, "status.", func(st string) string {
			return "?status=" + st + "#subscriptions"
		})
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
		if offer != nil {
			data.OneOff = offer
		} else if cs.ServiceCode == db.ServiceSupport && p.may("POST /services/:id/one-off") {
			if data.OneOff, err = s.oneOffOffer(c, []db.CompanyService{cs}); err != nil {
				return err
			}
		}
		return s.render(c, status, "services/show", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"tx-more", "partials/tx_rows", data.Transactions})
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
		PeriodTo: to, Today: today, RequireFunds: true, OneAtATime: true,
		Key: "oneoff:" + strconv.FormatInt(cs.ID, 10) + ":" + offer.Key,
	})
	var short db.InsufficientFunds
	if errors.As(err, &short) {
		offer.Missing = short.Missing
		return s.renderService(c, fiber.StatusUnprocessableEntity, cs, offer, "services.insufficient")
	}
	var open db.StillOpen
	if errors.As(err, &open) {
		offer.Until = open.Until
		return s.renderService(c, fiber.StatusUnprocessableEntity, cs, offer, "services.one_off_open")
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
