package handlers

import (
	"errors"
	"html/template"
	"strconv"

	"elk/db"
)

// userRows writes users as the rows of partials/user_table, with the
// actions the table offers on each, as {{ userRows . }} over the partial's
// dict: P (the page), Users, Action (the URL prefix of /ID/disable and the
// rest), CanManage, Reset (a password reset) and Sessions (ending a user's
// sessions and resetting their second factor).
func userRows(args map[string]any) (template.HTML, error) {
	p, err := dictPage(args, "userRows")
	if err != nil {
		return "", err
	}
	users, ok := args["Users"].([]db.User)
	if !ok {
		return "", errors.New("userRows: Users are not users")
	}
	action, _ := args["Action"].(string)
	manage, _ := args["CanManage"].(bool)
	reset, _ := args["Reset"].(bool)
	sessions, _ := args["Sessions"].(bool)
	labels := []string{p.T("users.name"), p.T("users.login"), p.T("users.role"), p.T("users.last_login"), p.T("users.status")}
	if manage {
		labels = append(labels, "")
	}
	rows := newTableRows(len(users), labels...)
	for _, u := range users {
		self := u.ID == p.User.ID
		var name markup
		name.text(u.Name)
		if self {
			name.text(" ")
			name.elem("span", p.T("users.you"), "class", "tag")
		}
		last := cell{text: p.T("users.never"), span: "muted"}
		if u.LastLoginAt != nil {
			last = cell{text: p.DateTime(*u.LastLoginAt)}
		}
		status, class := cell{text: p.T("users.active"), span: "badge on"}, ""
		if u.Disabled() {
			status, class = cell{text: p.T("users.disabled"), span: "badge off"}, "dim"
		}
		cells := []cell{{html: name.HTML()}, {text: u.Login}, {text: p.T("role." + u.Role)}, last, status}
		if manage {
			cells = append(cells, cell{class: "actions", html: userActions(p, u, action+"/"+strconv.FormatInt(u.ID, 10), reset, sessions)})
		}
		rows.rowWith("user-"+strconv.FormatInt(u.ID, 10), class, cells...)
	}
	return rows.HTML(), nil
}

// userActions are the buttons of a user's row; nobody is offered to reset,
// end or disable themselves here.
func userActions(p *Page, u db.User, prefix string, reset, sessions bool) template.HTML {
	var m markup
	self := u.ID == p.User.ID
	if reset && !self {
		postButton(&m, p, prefix+"/password", p.T("users.reset_confirm"), p.T("users.reset"), "btn small")
	}
	if sessions && !self {
		postButton(&m, p, prefix+"/sessions/end", p.T("sessions.end_all_confirm"), p.T("sessions.end_all"), "btn small")
		if u.TwoFactor {
			postButton(&m, p, prefix+"/two-factor/reset", p.T("twofactor.reset_confirm"), p.T("twofactor.reset"), "btn small")
		}
	}
	if u.Disabled() {
		postButton(&m, p, prefix+"/enable", "", p.T("users.enable"), "btn small")
	} else if !self {
		postButton(&m, p, prefix+"/disable", p.T("users.disable_confirm"), p.T("users.disable"), "btn small danger")
	}
	return m.HTML()
}

// postButton writes a form of one button that posts to action, asking to
// confirm first when confirm is not empty.
func postButton(m *markup, p *Page, action, confirm, label, class string) {
	m.open("form", "method", "post", "action", action, "hx-confirm", confirm)
	m.open("input", "type", "hidden", "name", "_csrf", "value", p.CSRF)
	m.elem("button", label, "type", "submit", "class", class)
	m.close("form")
}
