package handlers

import (
	"strconv"

	"elk/db"
)

// userTable is what partials/user_table takes: users, with the actions the
// table offers on each.
type userTable struct {
	*Page
	Rows      []userRow
	CanManage bool // a column of actions
}

// userRow is a user as a row, ready to print.
type userRow struct {
	ID          int64
	Class       string // dim for a disabled user
	Name        string
	Self        bool // the user looking at the table
	Login       string
	Role        string
	LastLogin   string // "" when never
	Status      string
	StatusClass string
	Actions     []postButton
}

// postButton is a form of one button that posts to Action, asking to
// confirm first when Confirm is not empty.
type postButton struct {
	Action, Confirm, Label, Class string
}

// userActions are what a user table offers on each user.
type userActions struct {
	Prefix   string // the URL prefix of /ID/disable and the rest
	Manage   bool   // disabling and enabling; without it, no actions at all
	Reset    bool   // a password reset
	Sessions bool   // ending the user's sessions and resetting their second factor
}

// newUserTable makes the table of users with the actions offered on them.
func newUserTable(p *Page, users []db.User, actions userActions) userTable {
	t := userTable{Page: p, Rows: make([]userRow, len(users)), CanManage: actions.Manage}
	for i, u := range users {
		r := userRow{ID: u.ID, Name: u.Name, Self: u.ID == p.User.ID, Login: u.Login, Role: p.T("role." + u.Role),
			Status: p.T("users.active"), StatusClass: "badge on"}
		if u.LastLoginAt != nil {
			r.LastLogin = p.DateTime(*u.LastLoginAt)
		}
		if u.Disabled() {
			r.Status, r.StatusClass, r.Class = p.T("users.disabled"), "badge off", "dim"
		}
		if actions.Manage {
			r.Actions = userButtons(p, u, actions)
		}
		t.Rows[i] = r
	}
	return t
}

// userButtons are the buttons of a user's row; nobody is offered to reset,
// end or disable themselves here.
func userButtons(p *Page, u db.User, actions userActions) []postButton {
	var out []postButton
	prefix := actions.Prefix + "/" + strconv.FormatInt(u.ID, 10)
	self := u.ID == p.User.ID
	if actions.Reset && !self {
		out = append(out, postButton{prefix + "/password", p.T("users.reset_confirm"), p.T("users.reset"), "btn small"})
	}
	if actions.Sessions && !self {
		out = append(out, postButton{prefix + "/sessions/end", p.T("sessions.end_all_confirm"), p.T("sessions.end_all"), "btn small"})
		if u.TwoFactor {
			out = append(out, postButton{prefix + "/two-factor/reset", p.T("twofactor.reset_confirm"), p.T("twofactor.reset"), "btn small"})
		}
	}
	if u.Disabled() {
		out = append(out, postButton{prefix + "/enable", "", p.T("users.enable"), "btn small"})
	} else if !self {
		out = append(out, postButton{prefix + "/disable", p.T("users.disable_confirm"), p.T("users.disable"), "btn small danger"})
	}
	return out
}
