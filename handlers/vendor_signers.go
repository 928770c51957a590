package handlers

import (
	"time"

	"elk/db"
)

// checkProxy checks the person who signs for the vendor by a power of
// attorney: its four fields are given all together or not at all, and the
// power of attorney is dated by today. It returns the date, if any.
func (e Errors) checkProxy(p db.Proxy, date string, today time.Time) *time.Time {
	fields := map[string]string{"proxy_name": p.Name, "proxy_position": p.Position, "proxy_number": p.Number, "proxy_date": date}
	given := 0
	for _, v := range fields {
		if v != "" {
			given++
		}
	}
	if given > 0 && given < len(fields) {
		for name, v := range fields {
			if v == "" {
				e[name] = "vendor.proxy_incomplete"
			}
		}
	}
	e.checkText("proxy_name", p.Name, false, 200)
	e.checkText("proxy_position", p.Position, false, 200)
	e.checkText("proxy_number", p.Number, false, 50)
	if date == "" {
		return nil
	}
	d, ok := dateOf(date)
	switch {
	case !ok:
		e["proxy_date"] = "vendor.bad_proxy_date"
	case d.After(today):
		e["proxy_date"] = "vendor.proxy_in_future"
	default:
		return &d
	}
	return nil
}

// closingPolicyState is the closing-document policy as the vendor form
// tells it: the one in force today and, while a change waits for the
// first of the month, the one to come and from when.
type closingPolicyState struct {
	Now, Next string // translated names; Next empty when no change waits
	From      string // the day Next takes effect
}

// policyNames are the policies' names, as the form's select offers them.
var policyNames = map[string]string{db.ClosingOnPayment: "vendor.policy_payment", db.ClosingMonthly: "vendor.policy_monthly"}

func closingPolicyOf(p *Page, v db.Vendor, today time.Time) closingPolicyState {
	st := closingPolicyState{Now: p.T(policyNames[v.ClosingPolicyOn(today)])}
	if v.ClosingPolicyFrom != nil && v.ClosingPolicyFrom.After(today) {
		st.Next, st.From = p.T(policyNames[v.ClosingPolicy]), p.Day(*v.ClosingPolicyFrom)
	}
	return st
}
