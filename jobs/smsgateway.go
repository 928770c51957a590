package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// HTTPSMSGateway sends SMS through an HTTP gateway. A URL with {phone} and
// {text} placeholders is called with GET and them filled in (the way most
// Russian SMS services take it); any other URL gets a POST of
// {"phone": "+7...", "text": "..."}. A 2xx answer means sent.
type HTTPSMSGateway struct {
	URL    string
	Token  string // sent as "Authorization: Bearer <token>" when set
	Client *http.Client
}

// NewHTTPSMSGateway checks the gateway's URL.
func NewHTTPSMSGateway(rawURL, token string) (*HTTPSMSGateway, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Not the URL itself: it may carry the gateway's key.
		return nil, errors.New("ELK_SMS_GATEWAY_URL: want an http or https URL, such as https://sms.example.ru/send")
	}
	return &HTTPSMSGateway{URL: rawURL, Token: token, Client: &http.Client{}}, nil
}

// SendSMS sends one message; the context bounds the whole exchange. The key
// goes as the Idempotency-Key header, for a gateway that can tell a repeat.
func (g *HTTPSMSGateway) SendSMS(ctx context.Context, phone, text, key string) error {
	var req *http.Request
	var err error
	if strings.Contains(g.URL, "{phone}") || strings.Contains(g.URL, "{text}") {
		u := strings.NewReplacer("{phone}", url.QueryEscape(phone), "{text}", url.QueryEscape(text)).Replace(g.URL)
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	} else {
		body, _ := json.Marshal(map[string]string{"phone": phone, "text": text})
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
		if req != nil {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	if err != nil {
		return err
	}
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	req.Header.Set("Idempotency-Key", key)
	resp, err := g.Client.Do(req)
	if err != nil {
		// The URL may carry the gateway's key: name its host only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("%s %s: %w", req.Method, req.URL.Host, ue.Err)
		}
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("gateway answered %s: %s", resp.Status, g.redact(printable(answer)))
	}
	return nil
}

// redact hides the token and the URL's parameters in a gateway's answer,
// which some gateways echo back with the request.
func (g *HTTPSMSGateway) redact(s string) string {
	secrets := []string{g.Token}
	if u, err := url.Parse(g.URL); err == nil {
		for _, vs := range u.Query() {
			secrets = append(secrets, vs...)
		}
	}
	for _, v := range secrets {
		if len(v) >= 4 && !strings.Contains(v, "{") {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	return s
}

// printable is the start of a gateway's answer, safe to store and show.
func printable(b []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "?"))
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}
