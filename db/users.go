package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"elk/db/auth"
)

// Roles of the vendor's staff (back office).
const (
	RoleAdmin      = "admin"
	RoleManager    = "manager"
	RoleSupport    = "support"
	RoleAccountant = "accountant" // also a client role
)

// Roles of a client company's users.
const (
	RoleOwner      = "owner"
	RoleDispatcher = "dispatcher"
)

// StaffRoles and ClientRoles list the roles in the order forms offer them.
var (
	StaffRoles  = []string{RoleAdmin, RoleManager, RoleSupport, RoleAccountant}
	ClientRoles = []string{RoleOwner, RoleAccountant, RoleDispatcher}
)

// Errors a user change can meet; their text is a translation key.
var (
	ErrLoginTaken     = errors.New("user.login_taken")
	ErrLastOwner      = errors.New("user.last_owner")
	ErrLastAdmin      = errors.New("user.last_admin")
	ErrDisableSelf    = errors.New("user.disable_self")
	ErrResetSelf      = errors.New("user.reset_self")
	ErrBadCredentials = errors.New("login.bad_credentials")
	ErrUserDisabled   = errors.New("login.disabled")
)

// User is a person who can log in: vendor staff when CompanyID is 0,
// otherwise a user of that client company.
type User struct {
	ID                int64
	CompanyID         int64
	Login             string
	Name              string
	Role              string
	Email             string
	Phone             string
	Lang              string
	PasswordChangedAt time.Time
	LastLoginAt       *time.Time
	DisabledAt        *time.Time
	CreatedAt         time.Time
	TwoFactor         bool   // logs in with a TOTP code after the password
	totpPending       string // sealed: a secret shown for setup, not yet confirmed
	passwordHash      string
}

// IsStaff reports whether the user belongs to the vendor, not to a client.
func (u User) IsStaff() bool { return u.CompanyID == 0 }

// Disabled reports whether the user may no longer log in.
func (u User) Disabled() bool { return u.DisabledAt != nil }

// SettingUpTwoFactor reports whether the user has a new second-factor
// secret to confirm (PendingTwoFactorSecret).
func (u User) SettingUpTwoFactor() bool { return u.totpPending != "" }

// userColumns are a user's columns in a query over users u.
const userColumns = `u.id, COALESCE(u.company_id, 0), u.login, u.name, u.role, u.email, u.phone, u.lang,
	u.password_hash, u.password_changed_at, u.last_login_at, u.disabled_at, u.created_at, u.totp_secret <> '', u.totp_pending`

// userRow receives userColumns; user finishes the user from it.
type userRow struct {
	u                  User
	changed, created   string
	lastLogin, disable sql.NullString
}

func (r *userRow) dest() []any {
	u := &r.u
	return []any{&u.ID, &u.CompanyID, &u.Login, &u.Name, &u.Role, &u.Email, &u.Phone, &u.Lang,
		&u.passwordHash, &r.changed, &r.lastLogin, &r.disable, &r.created, &u.TwoFactor, &u.totpPending}
}

func (r *userRow) user() User {
	u := r.u
	u.PasswordChangedAt = parseTime(r.changed)
	u.CreatedAt = parseTime(r.created)
	u.LastLoginAt = parseNullTime(r.lastLogin)
	u.DisabledAt = parseNullTime(r.disable)
	return u
}

func scanUser(row scanner) (User, error) {
	var r userRow
	err := row.Scan(r.dest()...)
	if err != nil {
		return User{}, err
	}
	return r.user(), nil
}

func (s *Store) queryUsers(ctx context.Context, where string, args ...any) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserByID returns any user; only the back office and the session layer may use it.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	return queryOne(ctx, s.r, scanUser, fmt.Sprintf("user %d", id), `SELECT `+userColumns+` FROM users u WHERE id = ?`, id)
}

// UserByLogin returns the user with the login, compared without case.
func (s *Store) UserByLogin(ctx context.Context, login string) (User, error) {
	return queryOne(ctx, s.r, scanUser, fmt.Sprintf("user %q", login), `SELECT `+userColumns+` FROM users u WHERE login = ?`, login)
}

// CompanyUser returns a user of the given company; a user of another company is ErrNotFound.
func (s *Store) CompanyUser(ctx context.Context, companyID, id int64) (User, error) {
	return queryOne(ctx, s.r, scanUser, fmt.Sprintf("company %d user %d", companyID, id),
		`SELECT `+userColumns+` FROM users u WHERE id = ? AND company_id = ?`, id, companyID)
}

// CompanyUsers lists a company's users: active first, then by name.
func (s *Store) CompanyUsers(ctx context.Context, companyID int64) ([]User, error) {
	us, err := s.queryUsers(ctx, `company_id = ? ORDER BY disabled_at IS NOT NULL, name COLLATE NOCASE, id`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: company %d users: %w", companyID, err)
	}
	return us, nil
}

// StaffUsers lists the vendor's staff: active first, then by name.
func (s *Store) StaffUsers(ctx context.Context) ([]User, error) {
	us, err := s.queryUsers(ctx, `company_id IS NULL ORDER BY disabled_at IS NOT NULL, name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("db: staff users: %w", err)
	}
	return us, nil
}

// NewUser is what creating a user needs. Password is the plain text; the
// caller has checked it against the policy (the demo sets fixed ones).
type NewUser struct {
	CompanyID int64
	Login     string
	Name      string
	Role      string
	Email     string
	Phone     string
	Password  string
}

// CreateUser adds a user and records it in the audit log.
func (s *Store) CreateUser(ctx context.Context, a Actor, nu NewUser) (int64, error) {
	hash, err := auth.HashPassword(nu.Password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertUser(ctx, tx, a, nu, hash)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("db: create user %q: %w", nu.Login, err)
	}
	return id, nil
}

// insertUser adds a user with the password's hash, and audits it.
func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, a Actor, nu NewUser, hash string) (int64, error) {
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE login = ?`, nu.Login).Scan(&taken); err != nil {
		return 0, err
	}
	if taken > 0 {
		return 0, ErrLoginTaken
	}
	now := formatTime(s.Now())
	res, err := tx.ExecContext(ctx, `
		INSERT INTO users (company_id, login, name, role, email, phone, password_hash, password_changed_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullIfZero(nu.CompanyID), nu.Login, nu.Name, nu.Role, nu.Email, nu.Phone, hash, now, now)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, s.writeAudit(ctx, tx, a, nu.CompanyID, AuditUserCreated, fmt.Sprintf("%s (%s)", nu.Login, nu.Role))
}

// Authenticate checks a login and password. An unknown login costs the same
// hashing time as a wrong password, and both give ErrBadCredentials, so the
// answer never tells whether a login exists. A disabled user with the right
// password gets ErrUserDisabled: only the password's owner can learn that.
func (s *Store) Authenticate(ctx context.Context, login, password string) (User, error) {
	u, err := s.UserByLogin(ctx, login)
	if errors.Is(err, ErrNotFound) {
		auth.VerifyPassword(auth.DummyHash(), password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("db: authenticate: %w", err)
	}
	if !auth.VerifyPassword(u.passwordHash, password) {
		return User{}, ErrBadCredentials
	}
	if u.Disabled() {
		return User{}, ErrUserDisabled
	}
	return u, nil
}

// CheckPassword reports whether password is the user's current one.
func (s *Store) CheckPassword(ctx context.Context, userID int64, password string) (bool, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return false, err
	}
	return auth.VerifyPassword(u.passwordHash, password), nil
}

// SetPassword replaces a user's password and ends all of the user's sessions,
// in one transaction. action is AuditPasswordChanged (by the user) or
// AuditPasswordReset (by someone else).
func (s *Store) SetPassword(ctx context.Context, a Actor, u User, password, action string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`,
			hash, formatTime(s.Now()), u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, action, u.Login)
	})
	if err != nil {
		return fmt.Errorf("db: set password of %d: %w", u.ID, err)
	}
	return nil
}

// SetUserDisabled disables (ending the user's sessions) or re-enables a user.
// A company never loses its last active owner, the vendor its last active
// admin, and nobody disables themselves.
func (s *Store) SetUserDisabled(ctx context.Context, a Actor, u User, disabled bool) error {
	if disabled && a.UserID == u.ID {
		return ErrDisableSelf
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if disabled {
			if err := lastGuard(ctx, tx, u); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`,
				formatTime(s.Now()), u.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // already disabled: a repeated click changes and records nothing
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
			return s.writeAudit(ctx, tx, a, u.CompanyID, AuditUserDisabled, u.Login)
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL`, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditUserEnabled, u.Login)
	})
	if err != nil {
		return fmt.Errorf("db: disable user %d: %w", u.ID, err)
	}
	return nil
}

// lastGuard refuses to disable the last active owner of a company or the last active staff admin.
func lastGuard(ctx context.Context, tx *sql.Tx, u User) error {
	var role string
	var guard error
	switch {
	case !u.IsStaff() && u.Role == RoleOwner:
		role, guard = RoleOwner, ErrLastOwner
	case u.IsStaff() && u.Role == RoleAdmin:
		role, guard = RoleAdmin, ErrLastAdmin
	default:
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users
		WHERE company_id IS ? AND role = ? AND disabled_at IS NULL AND id <> ?`,
		nullIfZero(u.CompanyID), role, u.ID).Scan(&others)
	if err != nil {
		return err
	}
	if others == 0 {
		return guard
	}
	return nil
}

// UpdateProfile saves the name and contacts a user keeps about themselves.
func (s *Store) UpdateProfile(ctx context.Context, a Actor, u User, name, email, phone string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, phone = ? WHERE id = ?`,
			name, email, phone, u.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditProfileUpdated, strings.TrimSpace(name+" "+email+" "+phone))
	})
	if err != nil {
		return fmt.Errorf("db: update profile of %d: %w", u.ID, err)
	}
	return nil
}

// SetUserLanguage stores the user's interface language ("ru" or "en").
func (s *Store) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET lang = ? WHERE id = ?`, lang, userID)
		if err != nil {
			return fmt.Errorf("db: set language of %d: %w", userID, err)
		}
		return nil
	})
}

// NormalizeLogin trims a login as typed; logins compare without case.
func NormalizeLogin(login string) string { return strings.TrimSpace(login) }
