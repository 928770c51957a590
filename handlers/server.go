// Package handlers is ELK's web layer: the client portal, the back office and their middleware.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/template/html/v2"
	"github.com/valyala/fasthttp"

	"elk/db"
	"elk/db/auth"
	"elk/static"
	"elk/views"
)

// Config is what the web layer needs to know about its deployment.
type Config struct {
	SecureCookies bool             // mark cookies Secure (always on behind TLS)
	Sessions      db.SessionLimits // idle and absolute session timeouts
	Throttle      auth.Throttle    // login failures allowed per login and per IP
	AccessLog     bool             // log one line per request through Logger
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed; from anyone else
	// they are ignored, so a client cannot choose its own address.
	TrustedProxies []string
	Logger         *slog.Logger // where server errors go
	// APIRequestsPerMinute is how often one token may call the API.
	APIRequestsPerMinute int
	// BaseURL is the portal's public address, for links in notifications.
	BaseURL string
	// StaffTwoFactor makes staff turn on the second factor before anything
	// else (ELK_STAFF_2FA=required).
	StaffTwoFactor bool
	// MetricsToken lets a scraper from elsewhere read /metrics, as
	// "Authorization: Bearer <token>"; without it only loopback may.
	MetricsToken string
	// Outbox delivers a notice at once (staff's test e-mail); nil leaves
	// it to the worker.
	Outbox Deliverer
	// Telegram is the notification bot; nil when the vendor has not set
	// one up (ELK_TELEGRAM_TOKEN), and the company page says so.
	Telegram TelegramBot
	// SMSRawMonths is how far back the list of SMS goes (ELK_SMS_RAW_MONTHS;
	// 0 or less: to the first), which the SMS page tells.
	SMSRawMonths int
}

// TelegramBot is what the company page needs of the bot: its username, for
// the link that opens a chat with it.
type TelegramBot interface {
	Username(ctx context.Context) (string, error)
}

// Deliverer makes one delivery attempt of an outbox notice now.
type Deliverer interface {
	Deliver(ctx context.Context, id int64) error
}

// DefaultConfig returns the settings ELK runs with unless told otherwise.
func DefaultConfig() Config {
	return Config{
		Sessions: db.SessionLimits{Idle: 8 * time.Hour, Absolute: 7 * 24 * time.Hour},
		Throttle: auth.Throttle{Limit: 5, Window: 15 * time.Minute},
		// Fifty batches of a thousand SMS a second: far beyond any taxi
		// service, and still a stop for a runaway retry loop.
		APIRequestsPerMinute: 3000,
		Logger:               slog.Default(),
		BaseURL:              "http://localhost:8080",
		SMSRawMonths:         db.DefaultSMSRawMonths,
	}
}

// Server holds the web layer's dependencies; handlers are its methods.
type Server struct {
	store     *db.Store
	cfg       Config
	catalogs  views.Catalogs
	csrfKey   []byte
	assets    map[string]string
	proxies   proxySet
	composer  *views.Composer
	templates *html.Engine
	// apiFailures counts failed API authentications per address.
	apiFailures *authFailures
	// uploads counts the forms with files being received.
	uploads *uploadGate
	// heldBodies is what is left of the memory for bodies being read.
	heldBodies *heldBodies
	// clientAccess is who of a client company may call each client route.
	clientAccess clientAccess
}

// New builds the whole web application over the store.
func New(ctx context.Context, store *db.Store, cfg Config) (*fiber.App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	catalogs, err := views.LoadCatalogs()
	if err != nil {
		return nil, err
	}
	csrfKey, err := store.Secret(ctx, "csrf")
	if err != nil {
		return nil, err
	}
	assets, err := static.Versions()
	if err != nil {
		return nil, fmt.Errorf("handlers: static files: %w", err)
	}
	proxies, err := parseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	composer, err := views.NewComposer(catalogs, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, cfg: cfg, catalogs: catalogs, csrfKey: csrfKey, assets: assets, proxies: proxies, composer: composer,
		apiFailures: newAuthFailures(), uploads: newUploadGate(), heldBodies: newHeldBodies()}

	s.templates = html.NewFileSystem(http.FS(views.Templates()), ".html")
	s.templates.AddFuncMap(s.templateFuncs())
	if err := s.templates.Load(); err != nil {
		return nil, fmt.Errorf("handlers: templates: %w", err)
	}
	app := fiber.New(fiber.Config{
		// X-Forwarded-Proto (for Secure cookies) counts only from trusted proxies;
		// the client's address is read by clientIP.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ErrorHandler:            s.handleError,
		DisableStartupMessage:   true,
		// Bodies are read by limitBody and readUpload as they arrive, each
		// route's within its own limit; requestLimits gives forms with files
		// more time.
		// Connections served at once: each costs some buffers, and far
		// more than the portal's users ever open.
		Concurrency:                  4096,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    requestBodyLimit,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  2 * time.Minute,
	})
	app.Use(s.traceRequests, recover.New())
	app.Server().HeaderReceived = s.requestLimits
	// A ticket's file goes out uncompressed, piece by piece: a compressor
	// would stay open, and hold its memory, for as long as a slow client
	// takes to read.
	app.Use(securityHeaders, compress.New(compress.Config{Next: isTicketFile}), s.limitBody)
	s.routes(app)
	return app, nil
}

// slowTransfer is how long a ticket's files may take to arrive or to leave:
// 30 MB over a 1 Mbit/s uplink.
const slowTransfer = 5 * time.Minute

// requestLimits runs on each request's header, before its body is read: a
// form with files from a logged-in browser (a stored session, not just a
// cookie) may arrive over a slow link, and a ticket's file may go out over
// one; every other request keeps the server's 30 seconds.
func (s *Server) requestLimits(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	if _, upload := uploadRulesFor(string(h.Method()), path); upload && s.hasSession(string(h.Cookie(sessionCookie))) {
		return fasthttp.RequestConfig{ReadTimeout: slowTransfer}
	}
	if h.IsGet() && isTicketFilePath(path) {
		return fasthttp.RequestConfig{WriteTimeout: slowTransfer}
	}
	return fasthttp.RequestConfig{}
}

// isTicketFile tells a ticket's file download.
func isTicketFile(c *fiber.Ctx) bool { return isTicketFilePath(c.Path()) }

func isTicketFilePath(path string) bool {
	path = strings.ToLower(path)
	return strings.HasPrefix(path, "/tickets/files/") || strings.HasPrefix(path, "/admin/tickets/files/")
}

// hasSession tells whether a cookie names a stored session.
func (s *Server) hasSession(token string) bool {
	if !isToken(token) {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.store.SessionExists(ctx, token)
}
