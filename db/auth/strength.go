package auth

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MinPasswordScore is the least zxcvbn score (0–4) a chosen password needs:
// 3 means about 10^8 guesses or more, far out of reach of online guessing
// under the login throttle and slow to crack from a stolen argon2id hash.
const MinPasswordScore = 3

// The reasons a password scores too low, each a translation key whose text
// says what makes it guessable and what to do.
const (
	ErrPasswordPersonal  PasswordError = "password.weak_personal"
	ErrPasswordWords     PasswordError = "password.weak_words"
	ErrPasswordRepeat    PasswordError = "password.weak_repeat"
	ErrPasswordSequence  PasswordError = "password.weak_sequence"
	ErrPasswordKeyboard  PasswordError = "password.weak_keyboard"
	ErrPasswordDate      PasswordError = "password.weak_date"
	ErrPasswordGuessable PasswordError = "password.weak_guessable"
)

// strengthRunes bounds the part of a password the estimator reads: its
// matching grows with the square of the length, and the first 64
// characters of a password are enough to tell a guessable one.
const strengthRunes = 64

// checkStrength refuses a password the estimator scores below
// MinPasswordScore, naming what made it guessable. personal are the words
// an attacker knows about the user: login, name, e-mail, company.
func checkStrength(password string, personal []string) error {
	if runes := []rune(password); len(runes) > strengthRunes {
		password = string(runes[:strengthRunes])
	}
	// The estimator reads the ASCII form: the Go port splits multi-byte
	// characters when it pieces a password together, and then scores long
	// Russian phrases as nothing.
	password = asciiForm(password)
	var words []string
	for _, w := range personalWords(personal) {
		words = append(words, asciiForm(w))
	}
	// zxcvbn charges every extra piece of a password as if it were a new
	// guess, so «taxi-podsolnukh2024» looks strong although only «-2024»
	// is unknown to an attacker who knows the user: that part must stand
	// on its own.
	lower := strings.ToLower(password)
	if rest := withoutWords(lower, words); rest != lower && zxcvbn.PasswordStrength(rest, nil).Score < MinPasswordScore {
		return ErrPasswordPersonal
	}
	r := zxcvbn.PasswordStrength(password, words)
	if r.Score >= MinPasswordScore {
		return nil
	}
	return weakness(r.Sequence)
}

// withoutWords removes every occurrence of the words, longest first.
func withoutWords(s string, words []string) string {
	words = slices.Clone(words)
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) })
	for _, w := range words {
		s = strings.ReplaceAll(s, w, "")
	}
	return s
}

// asciiForm writes each character as one ASCII character: a Russian
// letter as the key under it on the English layout, so «пароль» is the
// well-known «gfhjkm»; any other as a punctuation mark, which the
// estimator counts as one more character to guess.
func asciiForm(s string) string {
	const marks = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	var sb strings.Builder
	for _, r := range s {
		lower := unicode.ToLower(r)
		switch key, ok := englishLayout[lower]; {
		case r < utf8.RuneSelf:
			sb.WriteRune(r)
		case ok && r != lower:
			sb.WriteString(strings.ToUpper(key))
		case ok:
			sb.WriteString(key)
		default:
			sb.WriteByte(marks[int(r)%len(marks)])
		}
	}
	return sb.String()
}

// weakness names the pattern that makes a password guessable: personal
// words first, since they are the least obvious to the user, then the
// pattern covering the most characters.
func weakness(seq []*match.Match) error {
	var worst *match.Match
	for _, m := range seq {
		if m.Pattern == "dictionary" && m.DictionaryName == "user_inputs" {
			return ErrPasswordPersonal
		}
		if m.Pattern != "bruteforce" && (worst == nil || m.J-m.I > worst.J-worst.I) {
			worst = m
		}
	}
	if worst == nil {
		return ErrPasswordGuessable
	}
	switch worst.Pattern {
	case "dictionary":
		if worst.DictionaryName == "passwords" {
			return ErrPasswordCommon
		}
		return ErrPasswordWords
	case "repeat":
		return ErrPasswordRepeat
	case "sequence":
		return ErrPasswordSequence
	case "spatial":
		return ErrPasswordKeyboard
	case "date", "regex":
		return ErrPasswordDate
	}
	return ErrPasswordGuessable
}

// personalWords splits what is known about the user into lowercase words
// of three letters or more, each Russian one also in Latin letters
// (подсолнух: podsolnukh, podsolnuh), the way people put them into
// passwords; typed on the English layout (gjlcjkye[) is asciiForm's.
func personalWords(inputs []string) []string {
	seen := map[string]bool{}
	var words []string
	add := func(w string) {
		if utf8.RuneCountInString(w) >= 3 && !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, in := range inputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if utf8.RuneCountInString(in) > 100 {
			continue
		}
		add(in)
		for _, w := range strings.FieldsFunc(in, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			add(w)
			if strings.IndexFunc(w, isCyrillic) >= 0 {
				add(spell(w, translitPassport))
				add(spell(strings.ReplaceAll(w, "кс", "x"), translitPlain))
			}
		}
	}
	return words
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

// spell rewrites a word letter by letter; letters the table lacks stay.
func spell(w string, table map[rune]string) string {
	var sb strings.Builder
	for _, r := range w {
		if s, ok := table[r]; ok {
			sb.WriteString(s)
		} else {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// translitPassport is the transliteration of Russian passports (ICAO Doc
// 9303) with the common й→y; translitPlain the looser one people type.
var (
	translitPassport = map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
		'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
		'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
		'э': "e", 'ю': "yu", 'я': "ya",
	}
	translitPlain = func() map[rune]string {
		t := map[rune]string{'ё': "yo", 'ж': "j", 'й': "j", 'х': "h", 'ц': "c", 'щ': "sch", 'ю': "ju", 'я': "ja"}
		for r, s := range translitPassport {
			if _, ok := t[r]; !ok {
				t[r] = s
			}
		}
		return t
	}()
	// englishLayout is the key under each Russian letter on a keyboard
	// switched to English: пароль is typed as gfhjkm.
	englishLayout = func() map[rune]string {
		const ru, en = "йцукенгшщзхъфывапролджэячсмитьбюё", "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
		t := map[rune]string{}
		for i, r := range []rune(ru) {
			t[r] = en[i : i+1]
		}
		return t
	}()
)
