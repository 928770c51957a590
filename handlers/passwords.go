package handlers

import (
	"context"

	"elk/db/auth"
)

// checkNewPassword applies the password rules to a password chosen for a
// user of the company (staff when companyID is 0). The words an attacker
// tries first are the user's login, name and e-mail and the company's name,
// so a password made of them is refused. It returns the translation key of
// the refusal, or "" when the password will do.
func (s *Server) checkNewPassword(ctx context.Context, password string, companyID int64, login, name, email string) (string, error) {
	company, err := s.companyName(ctx, companyID)
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordPolicy(password, login, name, email, company); err != nil {
		return err.Error(), nil
	}
	return "", nil
}

// companyName is the name of a client company, or the vendor's for staff.
func (s *Server) companyName(ctx context.Context, companyID int64) (string, error) {
	if companyID == 0 {
		v, err := s.store.Vendor(ctx)
		return v.Name, err
	}
	co, err := s.store.Company(ctx, companyID)
	return co.Name, err
}
