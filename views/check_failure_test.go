package views_test

import (
	"testing"

	"elk/views"
)

func TestCheckFailureNamesTheCause(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	ru := cs.Get("ru")
	for raw, want := range map[string]string{
		"dial tcp 127.0.0.1:9: connect: connection refused":                   "Соединение отклонено — служба на этом порту не запущена",
		"no answer within 5s":                                                 "Сервер не ответил вовремя",
		"dial tcp: lookup tm.example.invalid on 127.0.0.53:53: no such host":  "Адрес сервера не найден (ошибка DNS)",
		"tls: first record does not look like a TLS handshake":                "Ошибка защищённого соединения (TLS)",
		"HTTP 503, expected 200–399":                                          "Сервер ответил кодом HTTP 503",
		`the answer lacks "OK"`:                                               "В ответе сервера нет ожидаемого текста",
		"no heartbeat since 2026-12-01T10:00:00Z":                             "Сервер перестал присылать сигналы",
		"read tcp 10.0.0.1:5000->10.0.0.2:80: read: connection reset by peer": "Сервер оборвал соединение",
		"dial tcp 10.9.9.9:80: connect: no route to host":                     "Сервер недоступен по сети",
		"something new": "Проверка не прошла",
	} {
		if got := views.CheckFailure(raw).In(ru); got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
}
