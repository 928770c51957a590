// Command elk is the Единый личный кабинет: the client portal, its back office
// and its jobs, in one binary over one SQLite file.
//
//	elk [-addr :8080] [-db elk.db] [-demo]       serve the portal
//	elk admin create --login L --password-stdin  create a staff admin
//	elk backup FILE                              copy the database while it runs
//	elk restore -replica URL [-db elk.db]        bring the database back from its replica
//	elk check                                    verify every balance against its transactions, and the closing documents
//	elk vacuum                                   rewrite the database without its free pages, incremental vacuum on
//	elk reset-2fa                                turn every second factor off and adopt a new secret key, the old one lost
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"elk/db"
	"elk/db/auth"
	"elk/db/demo"
	"elk/handlers"
	"elk/jobs"
	"elk/views"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, time.Now, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "elk:", err)
		}
		os.Exit(1)
	}
}

// tuneGC trades memory for processor time. The portal's live heap is a few
// megabytes, so with Go's defaults the collector runs every few hundred
// pages; here it runs at three times the live heap, and the Go runtime's
// memory is held under 128 MB (files sent to the portal go to disk as they
// arrive). An operator who sets GOGC or GOMEMLIMIT tunes it instead.
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(128 << 20)
	}
}

// config is everything elk is told by flags and ELK_* variables; flags win.
type config struct {
	addr          string
	dbPath        string
	demo          bool
	secureCookies bool
	proxies       string
	baseURL       string
	replica       string           // where the database is replicated to; empty for none
	replicaSync   time.Duration    // how often changes are shipped to the replica
	secretKey     string           // ELK_SECRET_KEY; empty for the key file beside the database
	firstStart    bool             // -first-start: a missing database with an empty replica is new, whatever else says
	now           func() time.Time // the store's clock: time.Now, or a test's
}

// run carries out one command line; now is the store's clock.
func run(ctx context.Context, now func() time.Time, args []string, stdin io.Reader, stdout io.Writer) error {
	// The key is read from the environment only: a flag would show it in
	// the process list.
	cfg := config{now: now, secretKey: os.Getenv("ELK_SECRET_KEY")}
	fs := flag.NewFlagSet("elk", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", env("ELK_ADDR", ":8080"), "address to listen on (ELK_ADDR)")
	fs.StringVar(&cfg.dbPath, "db", env("ELK_DB", "elk.db"), "SQLite database file (ELK_DB)")
	fs.BoolVar(&cfg.demo, "demo", false, "fill the database with demo data and print the demo logins")
	fs.BoolVar(&cfg.secureCookies, "secure-cookies", envBool("ELK_SECURE_COOKIES"), "mark cookies Secure, for HTTPS behind a proxy (ELK_SECURE_COOKIES)")
	fs.StringVar(&cfg.proxies, "trusted-proxies", os.Getenv("ELK_TRUSTED_PROXIES"), "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed (ELK_TRUSTED_PROXIES)")
	fs.StringVar(&cfg.baseURL, "base-url", os.Getenv("ELK_BASE_URL"), "the portal's public address, for links in notifications (ELK_BASE_URL)")
	fs.StringVar(&cfg.replica, "replica", os.Getenv("ELK_REPLICA"), "folder (path or file:///path) the database is replicated to continuously (ELK_REPLICA)")
	fs.BoolVar(&cfg.firstStart, "first-start", false, "with a replica: start a new database when it and the replica hold none, although its key is there (once, see README «Replica»)")
	replicaSync, err := envDuration("ELK_REPLICA_SYNC", defaultReplicaSync)
	if err != nil {
		return err
	}
	fs.DurationVar(&cfg.replicaSync, "replica-sync", replicaSync, "how often changes are shipped to the replica (ELK_REPLICA_SYNC)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.replicaSync <= 0 {
		return fmt.Errorf("the replica's sync interval is %s: it must be positive, such as 1s", cfg.replicaSync)
	}
	rest := fs.Args()
	switch {
	case len(rest) == 0:
		return serve(ctx, cfg, stdout)
	case len(rest) >= 2 && rest[0] == "admin" && rest[1] == "create":
		return adminCreate(ctx, cfg, rest[2:], stdin, stdout)
	case rest[0] == "backup":
		return backup(ctx, cfg, rest[1:], stdout)
	case rest[0] == "restore":
		return restore(ctx, cfg, rest[1:], stdout)
	case rest[0] == "check":
		return check(ctx, cfg, rest[1:], stdout)
	case rest[0] == "reset-2fa":
		return resetTwoFactor(ctx, cfg, rest[1:], stdout)
	case rest[0] == "vacuum":
		return vacuum(ctx, cfg, rest[1:], stdout)
	}
	return fmt.Errorf("unknown command %q (commands: admin create, backup, restore, check, reset-2fa, vacuum)", strings.Join(rest, " "))
}

func serve(ctx context.Context, cfg config, stdout io.Writer) (err error) {
	tuneGC()
	log, err := newLogger(os.Getenv("ELK_LOG_FORMAT"), os.Stderr)
	if err != nil {
		return err
	}
	// The port is taken first, so that a busy one fails at once, before
	// the demo is filled and its logins printed. "tcp4", as Fiber's Listen.
	// Connections made meanwhile wait in the kernel's queue until the
	// server starts: /healthz, not the open port, says when it is up.
	ln, err := net.Listen("tcp4", cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close() // closed already once the server has run
	store, closeStore, err := openServedStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeStore()) }()
	if cfg.demo {
		fmt.Fprintln(stdout, "Filling the demo data (a year of history)…")
		logins, err := demo.Seed(ctx, store, demo.Options{Addr: cfg.addr})
		if err != nil {
			return err
		}
		printDemoLogins(stdout, logins)
	}
	hcfg := handlers.DefaultConfig()
	hcfg.SecureCookies = cfg.secureCookies
	hcfg.TrustedProxies = splitList(cfg.proxies)
	hcfg.AccessLog = true
	hcfg.MetricsToken = os.Getenv("ELK_METRICS_TOKEN")
	switch v := os.Getenv("ELK_STAFF_2FA"); v {
	case "required":
		hcfg.StaffTwoFactor = true
	case "", "optional":
	default:
		return fmt.Errorf("ELK_STAFF_2FA is %q: required or optional", v)
	}
	// Unset keeps the default; 0 or less keeps every SMS.
	if v, ok := os.LookupEnv("ELK_SMS_RAW_MONTHS"); ok {
		if hcfg.SMSRawMonths, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("ELK_SMS_RAW_MONTHS is %q: a number of months (0 keeps every SMS)", v)
		}
	}
	hcfg.Logger = log
	hcfg.BaseURL = cfg.baseURL
	if hcfg.BaseURL == "" {
		hcfg.BaseURL = localURL(cfg.addr)
	}
	outbox, err := newOutbox(store, hcfg.BaseURL, log)
	if err != nil {
		return err
	}
	hcfg.Outbox = outbox
	bot, err := newTelegramBot(log)
	if err != nil {
		return err
	}
	if bot != nil {
		outbox.Telegram, hcfg.Telegram = bot, bot
	}
	app, err := handlers.New(ctx, store, hcfg)
	if err != nil {
		return err
	}
	runner := jobs.Start(context.WithoutCancel(ctx), log,
		jobs.Cleanup{Store: store, Sessions: hcfg.Sessions, Throttle: hcfg.Throttle},
		jobs.Subscriptions{Store: store},
		jobs.MonthlyClosing{Store: store},
		outbox,
		&jobs.Monitoring{Store: store, Log: log},
		jobs.Retention{Store: store, RawDays: envInt("ELK_MONITOR_RAW_DAYS"), HourlyDays: envInt("ELK_MONITOR_HOURLY_DAYS")},
		jobs.SMSRetention{Store: store, Months: hcfg.SMSRawMonths, Log: log},
		jobs.LicenseWarnings{Store: store},
		&jobs.TelegramUpdates{Store: store, Bot: bot, Log: log})

	listenErr := make(chan error, 1)
	go func() { listenErr <- app.Listener(ln) }()
	fmt.Fprintf(stdout, "ELK listening on %s, database %s\n", cfg.addr, cfg.dbPath)
	select {
	case err = <-listenErr:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	// Stop taking requests and let those in flight finish, then stop the
	// jobs; the deferred close checkpoints and closes the database last
	// (and ships its last changes to the replica).
	shutdownErr := app.ShutdownWithTimeout(15 * time.Second)
	stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return errors.Join(err, shutdownErr, runner.Stop(stopCtx))
}

// newLogger writes log lines as text, or as JSON with ELK_LOG_FORMAT=json.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("ELK_LOG_FORMAT is %q: text or json", format)
}

// newOutbox builds the notification worker from ELK_SMTP_* and
// ELK_SMS_GATEWAY_*. A channel left unset still has its notices recorded;
// they fail with the reason, to be resent once it is configured.
func newOutbox(store *db.Store, baseURL string, log *slog.Logger) (*jobs.Outbox, error) {
	catalogs, err := views.LoadCatalogs()
	if err != nil {
		return nil, err
	}
	composer, err := views.NewComposer(catalogs, baseURL)
	if err != nil {
		return nil, err
	}
	o := &jobs.Outbox{Store: store, Composer: composer, Invoices: jobs.KeptInvoices{Store: store}, Log: log}
	if host := os.Getenv("ELK_SMTP_HOST"); host != "" {
		security := env("ELK_SMTP_TLS", jobs.SMTPStartTLS)
		port := map[string]int{jobs.SMTPPlain: 25, jobs.SMTPStartTLS: 587, jobs.SMTPTLS: 465}[security]
		if p := os.Getenv("ELK_SMTP_PORT"); p != "" {
			if port, err = strconv.Atoi(p); err != nil {
				return nil, fmt.Errorf("ELK_SMTP_PORT %q: not a number", p)
			}
		}
		m, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: host, Port: port, User: os.Getenv("ELK_SMTP_USER"),
			Password: os.Getenv("ELK_SMTP_PASSWORD"), From: os.Getenv("ELK_SMTP_FROM"), TLS: security})
		if err != nil {
			return nil, err
		}
		o.Mail = m
	} else {
		log.Warn("e-mail notifications are recorded but not sent: ELK_SMTP_HOST is not set")
	}
	if u := os.Getenv("ELK_SMS_GATEWAY_URL"); u != "" {
		gw, err := jobs.NewHTTPSMSGateway(u, os.Getenv("ELK_SMS_GATEWAY_TOKEN"))
		if err != nil {
			return nil, err
		}
		o.SMS = gw
	} else {
		log.Warn("SMS notifications are recorded but not sent: ELK_SMS_GATEWAY_URL is not set")
	}
	return o, nil
}

// newTelegramBot is the bot of ELK_TELEGRAM_TOKEN, or nil when it is not
// set: then the company page says Telegram is not set up.
func newTelegramBot(log *slog.Logger) (*jobs.TelegramBot, error) {
	token := os.Getenv("ELK_TELEGRAM_TOKEN")
	if token == "" {
		log.Info("Telegram notifications are off: ELK_TELEGRAM_TOKEN is not set")
		return nil, nil
	}
	return jobs.NewTelegramBot(env("ELK_TELEGRAM_API_URL", jobs.DefaultTelegramAPI), token)
}

// localURL is the portal's address on this machine, for links when
// ELK_BASE_URL is not set: ":8080" becomes "http://localhost:8080".
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func printDemoLogins(w io.Writer, logins []demo.Login) {
	fmt.Fprintln(w, "Demo logins (login / password):")
	for _, l := range logins {
		fmt.Fprintf(w, "  %-14s %-16s %s\n", l.Login, l.Password, l.Who)
	}
}

// adminCreate creates a staff admin, reading the password from standard input
// so that it never shows in the process list or the shell history.
func adminCreate(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("elk admin create", flag.ContinueOnError)
	fs.StringVar(&cfg.dbPath, "db", cfg.dbPath, "SQLite database file (ELK_DB)")
	login := fs.String("login", "", "login of the new admin")
	name := fs.String("name", "", "full name (defaults to the login)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *login == "" || !*fromStdin {
		return errors.New("usage: elk admin create --login L [--name N] --password-stdin")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if *name == "" {
		*name = *login
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	vendor, err := store.Vendor(ctx)
	if err != nil {
		return err
	}
	if err := auth.CheckPasswordPolicy(password, *login, *name, vendor.Name); err != nil {
		return passwordRefused(err)
	}
	_, err = store.CreateUser(ctx, db.Actor{Login: "cli"}, db.NewUser{Login: *login, Name: *name, Role: db.RoleAdmin, Password: password})
	if errors.Is(err, db.ErrLoginTaken) {
		return fmt.Errorf("login %q is already taken", *login)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "admin %s created in %s\n", *login, cfg.dbPath)
	return nil
}

// passwordRefused explains a refused password on the command line, in the
// words the portal's forms use in English.
func passwordRefused(err error) error {
	catalogs, lerr := views.LoadCatalogs()
	if lerr != nil {
		return lerr
	}
	return fmt.Errorf("password refused: %s", catalogs.Get("en").T(err.Error()))
}

// backup writes a consistent copy of the database, safe while the server runs.
func backup(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	store, rest, err := openExisting(ctx, "backup", cfg, args)
	if err != nil {
		return err
	}
	defer store.Close()
	if len(rest) != 1 {
		return errors.New("usage: elk backup [-db elk.db] FILE")
	}
	if err := store.Backup(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", rest[0])
	return nil
}

// vacuum rewrites the database without its free pages and with incremental
// vacuum on, so that the SMS pruned from then on give their space back; a
// database made before this version needs it once. It holds the writer
// throughout: best run while ELK is stopped.
func vacuum(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	cfg, _, err := existing("vacuum", cfg, args)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	before, err := fileSize(cfg.dbPath)
	if err == nil {
		err = store.Vacuum(ctx)
	}
	// The rewritten pages are in the write-ahead log until the last
	// connection closes and checkpoints them: the size after is the file's
	// once closed.
	if err = errors.Join(err, store.Close()); err != nil {
		return err
	}
	after, err := fileSize(cfg.dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s vacuumed: %d MB before, %d MB now\n", cfg.dbPath, before>>20, after>>20)
	return nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// openExisting parses a subcommand's -db flag and opens that database, which
// must exist: a maintenance command never creates an empty one by mistake.
// It returns the arguments after the flags.
func openExisting(ctx context.Context, name string, cfg config, args []string) (*db.Store, []string, error) {
	cfg, rest, err := existing(name, cfg, args)
	if err != nil {
		return nil, nil, err
	}
	store, err := openStore(ctx, cfg)
	return store, rest, err
}

// existing parses a subcommand's -db flag and checks that the database is
// there; it returns the arguments after the flags.
func existing(name string, cfg config, args []string) (config, []string, error) {
	fs := flag.NewFlagSet("elk "+name, flag.ContinueOnError)
	fs.StringVar(&cfg.dbPath, "db", cfg.dbPath, "SQLite database file (ELK_DB)")
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	if _, err := os.Stat(cfg.dbPath); err != nil {
		return cfg, nil, fmt.Errorf("database: %w", err)
	}
	return cfg, fs.Args(), nil
}

// openStore opens (creating and migrating) the database on the clock, its
// second-factor secrets sealed with ELK_SECRET_KEY or else the key file
// beside it.
func openStore(ctx context.Context, cfg config) (*db.Store, error) {
	var store *db.Store
	key, err := secretKey(ctx, cfg)
	if err == nil {
		store, err = db.OpenWithKey(ctx, cfg.dbPath, key)
	}
	if errors.Is(err, db.ErrWrongSecretKey) {
		return nil, fmt.Errorf("%s was started with another secret key than %s, and its second-factor secrets "+
			"cannot be read without that one: start it with the key it was started with (see README, «The secret key»), "+
			"or, when that key is lost, run elk reset-2fa to turn every second factor off", cfg.dbPath, keySource(cfg))
	}
	if err != nil {
		return nil, err
	}
	store.SetClock(cfg.now)
	return store, nil
}

// secretKey is ELK_SECRET_KEY or else the key in the key file beside the
// database, which the first start creates. A database started before
// with a key file that is now missing is refused, never given a new key:
// the key is to be put back (a lost one is elk reset-2fa's).
func secretKey(ctx context.Context, cfg config) ([]byte, error) {
	if cfg.secretKey == "" {
		key, err := db.DatabaseKey(ctx, cfg.dbPath)
		if errors.Is(err, db.ErrKeyFileMissing) {
			return nil, fmt.Errorf("%s was started with a secret key, and the key file %s is missing: "+
				"put it back beside the database or set ELK_SECRET_KEY (see README, «The secret key»)", cfg.dbPath, db.KeyFile(cfg.dbPath))
		}
		return key, err
	}
	key, err := db.ParseSecretKey(cfg.secretKey)
	if err != nil {
		return nil, fmt.Errorf("ELK_SECRET_KEY: %w", err)
	}
	return key, nil
}

// keySource names where the secret key came from.
func keySource(cfg config) string {
	if cfg.secretKey != "" {
		return "ELK_SECRET_KEY"
	}
	return "the key file " + db.KeyFile(cfg.dbPath)
}

// resetTwoFactor is the way back in when the secret key is lost: every
// second factor is turned off and the key now given (or a new key file)
// is adopted.
func resetTwoFactor(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	cfg, _, err := existing("reset-2fa", cfg, args)
	if err != nil {
		return err
	}
	var key []byte
	if cfg.secretKey == "" {
		key, err = db.LoadKeyFile(db.KeyFile(cfg.dbPath)) // a new one when it is lost
	} else {
		key, err = secretKey(ctx, cfg)
	}
	if err != nil {
		return err
	}
	logins, err := db.ForgetSecretKey(ctx, cfg.dbPath, key, db.Actor{Login: "cli"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "second factor turned off for %d user(s): %s\n%s now uses %s\n",
		len(logins), strings.Join(logins, ", "), cfg.dbPath, keySource(cfg))
	return nil
}

// check verifies that every balance equals the sum of its transactions (and
// the monthly roll-up agrees), then the closing documents, naming each
// service or document that does not; with a replica, that it keeps up.
func check(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	cfg, _, err := existing("check", cfg, args)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	bad, err := store.CheckLedger(ctx)
	if err != nil {
		return err
	}
	for _, m := range bad {
		fmt.Fprintf(stdout, "MISMATCH %s / %s: balance %s, sum of transactions %s, monthly roll-up %s\n",
			m.CompanyName, m.ServiceCode, m.Balance.Plain(), m.Sum.Plain(), m.RollupSum.Plain())
	}
	if len(bad) > 0 {
		return fmt.Errorf("ledger check failed: %d service(s) disagree with their transactions", len(bad))
	}
	fmt.Fprintln(stdout, "ledger OK: every balance equals the sum of its transactions")
	docs, err := store.CheckClosingDocs(ctx)
	if err != nil {
		return err
	}
	for _, m := range docs {
		fmt.Fprintf(stdout, "MISMATCH %s / № %s (%s): expected %s, found %s\n", m.CompanyName, m.Number, closingProblems[m.Problem],
			m.Want.Plain(), m.Got.Plain())
	}
	if len(docs) > 0 {
		return fmt.Errorf("closing documents check failed: %d disagreement(s)", len(docs))
	}
	fmt.Fprintln(stdout, "closing documents OK: each adds up, each month's equals its charges, each invoice's VAT is whole")
	if cfg.replica != "" {
		id, err := store.DatabaseID(ctx)
		if err != nil {
			return err
		}
		return checkReplica(ctx, cfg, id, stdout)
	}
	return nil
}

// closingProblems explain CheckClosingDocs' findings to the operator.
var closingProblems = map[string]string{
	"lines":         "the lines do not add up to the total",
	"lines_vat":     "the lines' VAT does not add up to the VAT",
	"month":         "the month's charges in the ledger differ from the document",
	"month_missing": "the month was charged and has no document: the monthly run (hourly, three months back) has not made it",
	"refund_left":   "a refund of an earlier month has nothing in this one to come off: issue a correction (УКД)",
	"invoice_vat":   "the documents' VAT differs from the invoice's",
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// envInt reads a whole number of the environment; unset or not a number is 0
// (the default of what it sets).
func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return max(n, 0)
}

// envDuration reads a duration (such as 1s or 500ms) of the environment;
// unset is fallback.
func envDuration(name string, fallback time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s is %q: a duration such as 1s or 500ms", name, v)
	}
	return d, nil
}

func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
