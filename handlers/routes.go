package handlers

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"elk/db"
	"elk/static"
)

// routes is the table of every URL, its method and who may call it.
func (s *Server) routes(app *fiber.App) {
	// Anyone.
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(static.FS()),
		MaxAge: int((365 * 24 * time.Hour).Seconds()),
	}))
	app.Get("/healthz", s.health)
	app.Get("/metrics", s.showMetrics)

	// The client's servers, by bearer token; no cookies, so no CSRF.
	app.Get("/api/v1/openapi.json", s.showOpenAPI)
	app.Post("/api/v1/heartbeat/:secret", s.apiRateLimit(), s.secretHeartbeat)
	api := app.Group("/api/v1", s.apiRateLimit(), s.apiAuth)
	api.Post("/heartbeat", s.tokenHeartbeat)
	api.Post("/sms", s.recordSMS)
	api.Post("/sms/status", s.updateSMSStatuses)
	api.Get("/balances", s.listBalances)
	api.Use(func(*fiber.Ctx) error { return apiFail(fiber.StatusNotFound, "", "no such API endpoint") })

	app.Use(s.loadSession, noStore, s.checkCSRF)
	app.Get("/login", s.showLogin)
	app.Post("/login", s.login)
	app.Post("/login/code", s.loginCode)
	app.Post("/logout", s.logout)

	// Any logged-in user.
	app.Get("/", s.requireUser, s.home)
	app.Get("/account", s.requireUser, s.showAccount)
	app.Post("/account/password", s.requireUser, s.changePassword)
	app.Post("/account/language", s.requireUser, s.changeLanguage)
	app.Post("/account/profile", s.requireUser, s.updateProfile)
	app.Post("/account/2fa/setup", s.requireUser, s.setupTwoFactor)
	app.Get("/account/2fa/qr.png", s.requireUser, s.twoFactorQR)
	app.Post("/account/2fa/enable", s.requireUser, s.enableTwoFactor)
	app.Post("/account/2fa/disable", s.requireUser, s.disableTwoFactor)
	app.Post("/account/sessions/:id/end", s.requireUser, s.endSession)

	// A client company's users; the company always comes from the session,
	// and each route names the client roles that may call it.
	s.clientAccess = clientAccess{}
	client := clientRoutes{s: s, app: app}
	client.get("/company", everyClient, s.showCompany)
	client.post("/company/contacts", ownerOnly, s.updateContacts)
	client.post("/company/telegram", everyClient, s.createTelegramCode)
	client.post("/company/telegram/:id/remove", everyClient, s.removeTelegramLink)
	client.get("/news", everyClient, s.listNews)
	client.get("/news/bell", everyClient, s.showBell)
	client.post("/news/read-all", everyClient, s.readAllNews)
	client.get("/news/:id", everyClient, s.showNews)
	client.get("/services", everyClient, s.listServices)
	client.get("/services/:id", everyClient, s.showService)
	client.post("/services/:id/one-off", operations, s.buyOneOff)
	client.get("/services/:id/sms", operations, s.showSMSStats)
	client.get("/services/:id/sms.csv", operations, s.exportSMS)
	client.get("/documents", everyClient, s.listDocuments)
	client.post("/documents", bookkeeping, s.createInvoice)
	client.get("/documents/invoice-form", bookkeeping, s.invoiceChoice)
	client.get("/documents/invoices/:id", everyClient, s.showInvoice)
	client.get("/documents/invoices/:id/pdf", everyClient, s.invoicePDF)
	client.post("/documents/invoices/:id/cancel", bookkeeping, s.cancelInvoice)
	client.get("/documents/acts/:id/pdf", everyClient, s.actPDF)
	client.get("/documents/reconciliation.pdf", bookkeeping, s.reconciliationPDF)
	client.get("/transactions", bookkeeping, s.listTransactions)
	client.get("/transactions.csv", bookkeeping, s.exportTransactions)
	client.get("/monitoring", operations, s.showMonitoring)
	client.get("/questions", everyClient, s.listQuestions)
	client.post("/questions", everyClient, s.askQuestion)
	client.get("/tickets", operations, s.listTickets)
	client.post("/tickets", operations, s.openTicket)
	client.get("/tickets/files/:id", operations, s.ticketFile)
	client.get("/tickets/:id", operations, s.showTicket)
	client.post("/tickets/:id/replies", operations, s.replyTicket)
	client.post("/tickets/:id/close", operations, s.closeTicket)
	client.post("/tickets/:id/reopen", operations, s.reopenTicket)
	client.get("/users", ownerOnly, s.listUsers)
	client.post("/users", ownerOnly, s.createUser)
	client.post("/users/:id/disable", ownerOnly, s.disableUser)
	client.post("/users/:id/enable", ownerOnly, s.enableUser)
	client.post("/users/:id/password", ownerOnly, s.resetCompanyUserPassword)

	// The vendor's staff. Everyone else gets 404, as if /admin did not exist.
	// A change to one company's data names the object its URL carries: a
	// manager makes it only to the companies assigned to them.
	admin := app.Group("/admin", s.requireStaff, s.requireSecondFactor)
	editors := s.requireRole(editorRoles...)
	admins := s.requireRole(db.RoleAdmin)
	money := s.requireRole(moneyRoles...)
	books := s.requireRole(bookRoles...)
	answerers := s.requireRole(answererRoles...)
	write := s.companyWrite
	admin.Get("", s.adminHome)
	admin.Get("/companies", s.listCompanies)
	admin.Get("/monitors", s.listDownMonitors)
	admin.Get("/licenses", s.listExpiringLicenses)
	admin.Get("/companies/new", editors, s.newCompany)
	admin.Post("/companies", editors, s.createCompany)
	admin.Get("/companies/:id", s.showAdminCompany)
	admin.Post("/companies/:id", write(editorRoles, db.OwnedCompany), s.updateCompany)
	admin.Post("/companies/:id/users", write(editorRoles, db.OwnedCompany), s.createCompanyUser)
	admin.Post("/users/:id/password", write(editorRoles, db.OwnedUser), s.resetPassword)
	admin.Post("/users/:id/disable", write(editorRoles, db.OwnedUser), s.disableAnyUser)
	admin.Post("/users/:id/enable", write(editorRoles, db.OwnedUser), s.enableAnyUser)
	admin.Post("/users/:id/sessions/end", write(editorRoles, db.OwnedUser), s.endUserSessions)
	admin.Post("/users/:id/two-factor/reset", write(editorRoles, db.OwnedUser), s.resetTwoFactor)
	admin.Get("/tariffs", s.listTariffs)
	admin.Post("/tariffs", editors, s.createTariff)
	admin.Post("/tariffs/:id/retire", editors, s.retireTariff)
	admin.Post("/companies/:id/services", write(editorRoles, db.OwnedCompany), s.connectService)
	admin.Post("/companies/:id/tokens", write(editorRoles, db.OwnedCompany), s.createAPIToken)
	admin.Post("/tokens/:id/revoke", write(editorRoles, db.OwnedToken), s.revokeAPIToken)
	admin.Get("/services/:id", s.showAdminService)
	admin.Post("/services/:id", write(editorRoles, db.OwnedService), s.updateAdminService)
	admin.Post("/services/:id/corrections", write(editorRoles, db.OwnedService), s.correctBalance)
	admin.Post("/services/:id/subscriptions", write(editorRoles, db.OwnedService), s.createAdminSubscription)
	admin.Post("/subscriptions/:id/cancel", write(editorRoles, db.OwnedSubscription), s.cancelAdminSubscription)
	admin.Get("/staff", admins, s.listStaff)
	admin.Post("/staff", admins, s.createStaff)
	admin.Get("/vendor", admins, s.showVendor)
	admin.Post("/vendor", admins, s.updateVendor)
	admin.Get("/audit", admins, s.listAudit)
	admin.Get("/invoices", s.listAdminInvoices)
	admin.Get("/payments/import", books, s.showBankImport)
	admin.Post("/payments/import", books, s.uploadStatement)
	admin.Get("/payments/imports/:id", books, s.showStatement)
	admin.Post("/payments/imports/:id", books, s.recordStatement)
	admin.Get("/invoices/:id", s.showAdminInvoice)
	admin.Get("/invoices/:id/pdf", s.adminInvoicePDF)
	admin.Post("/invoices/:id/payments", write(moneyRoles, db.OwnedInvoice), s.recordPayment)
	admin.Post("/invoices/:id/cancel", write(moneyRoles, db.OwnedInvoice), s.cancelAdminInvoice)
	admin.Get("/acts/:id/pdf", s.adminActPDF)
	admin.Get("/documents/registry.csv", money, s.exportRegistry)
	admin.Get("/companies/:id/reconciliation.pdf", s.adminReconciliationPDF)
	admin.Get("/companies/:id/invoices/new", write(moneyRoles, db.OwnedCompany), s.newAdminInvoice)
	admin.Get("/companies/:id/invoice-form", write(moneyRoles, db.OwnedCompany), s.adminInvoiceChoice)
	admin.Post("/companies/:id/invoices", write(moneyRoles, db.OwnedCompany), s.issueInvoice)
	admin.Get("/companies/:id/monitoring", s.showAdminMonitoring)
	admin.Post("/companies/:id/monitors", write(editorRoles, db.OwnedCompany), s.saveMonitor)
	admin.Post("/companies/:id/licenses", write(editorRoles, db.OwnedCompany), s.saveLicense)
	admin.Post("/monitors/:id/secret", write(editorRoles, db.OwnedMonitor), s.renewPushSecret)
	admin.Get("/questions", s.listAdminQuestions)
	admin.Post("/questions/sections", answerers, s.addSection)
	admin.Post("/questions/:id", answerers, s.answerQuestion)
	admin.Get("/tickets", s.listAdminTickets)
	admin.Get("/tickets/files/:id", s.adminTicketFile)
	admin.Get("/tickets/:id", s.showAdminTicket)
	admin.Post("/tickets/:id/replies", answerers, s.replyAdminTicket)
	admin.Post("/tickets/:id/status", answerers, s.setAdminTicketStatus)
	admin.Post("/tickets/:id/assign", answerers, s.assignTicket)
	admin.Get("/news", s.listAdminNews)
	admin.Post("/news", editors, s.saveNews)
	admin.Get("/outbox", s.listOutbox)
	admin.Post("/outbox/test", editors, s.sendTestEmail)
	admin.Post("/outbox/:id/resend", editors, s.resendNotice)
}

// clientTabs are the portal's tabs in the order of the product's description;
// each area adds its tab here when it is built.
var clientTabs = []Tab{
	{ID: "company", Path: "/company", Label: "nav.company"},
	{ID: "news", Path: "/news", Label: "nav.news"},
	{ID: "services", Path: "/services", Label: "nav.services"},
	{ID: "users", Path: "/users", Label: "nav.users"},
	{ID: "documents", Path: "/documents", Label: "nav.documents"},
	{ID: "transactions", Path: "/transactions", Label: "nav.transactions"},
	{ID: "monitoring", Path: "/monitoring", Label: "nav.monitoring"},
	{ID: "questions", Path: "/questions", Label: "nav.questions"},
	{ID: "tickets", Path: "/tickets", Label: "nav.tickets"},
}

// staffTabs are the back office's tabs with the roles that see them; a
// client's tab shows to whom its route admits.
var staffTabs = []Tab{
	{ID: "home", Path: "/admin", Label: "nav.home"},
	{ID: "companies", Path: "/admin/companies", Label: "nav.companies"},
	{ID: "tariffs", Path: "/admin/tariffs", Label: "nav.tariffs"},
	{ID: "invoices", Path: "/admin/invoices", Label: "nav.invoices"},
	{ID: "news", Path: "/admin/news", Label: "nav.news"},
	{ID: "questions", Path: "/admin/questions", Label: "nav.questions"},
	{ID: "tickets", Path: "/admin/tickets", Label: "tickets.queue"},
	{ID: "outbox", Path: "/admin/outbox", Label: "nav.outbox"},
	{ID: "staff", Path: "/admin/staff", Label: "nav.staff", Roles: []string{db.RoleAdmin}},
	{ID: "vendor", Path: "/admin/vendor", Label: "nav.vendor", Roles: []string{db.RoleAdmin}},
	{ID: "audit", Path: "/admin/audit", Label: "nav.audit", Roles: []string{db.RoleAdmin}},
}

// Tab is one entry of the navigation bar.
type Tab struct {
	ID    string
	Path  string
	Label string   // translation key
	Roles []string // the staff who see it, empty for all; a client tab shows to whom its route admits
}
