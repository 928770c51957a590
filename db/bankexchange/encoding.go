package bankexchange

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// textEncoding is how a statement's bytes become text and back. The format
// knows two values of Кодировка: «Windows» (windows-1251) and «DOS»
// (cp866); some banks write UTF-8, and say so or not.
type textEncoding struct {
	name    string           // as Statement.Encoding reports it
	charmap *charmap.Charmap // nil for UTF-8
}

var (
	windows1251 = textEncoding{"Windows", charmap.Windows1251}
	cp866       = textEncoding{"DOS", charmap.CodePage866}
	utf8Text    = textEncoding{"UTF-8", nil}
)

// encodingNamed reads a value of Кодировка.
func encodingNamed(value string) (textEncoding, bool) {
	switch strings.ToUpper(strings.TrimSpace(value)) {
	case "WINDOWS":
		return windows1251, true
	case "DOS":
		return cp866, true
	case "UTF-8", "UTF8":
		return utf8Text, true
	}
	return textEncoding{}, false
}

var byteOrderMark = []byte("\uFEFF")

// encodingKeys are «Кодировка=» as each single-byte encoding spells it,
// to find the line before knowing which one the file is in.
var encodingKeys = [][]byte{
	windows1251.encode(nil, "Кодировка="),
	cp866.encode(nil, "Кодировка="),
}

// sniffEncoding tells a statement's encoding from its first bytes. UTF-8
// when they begin with a byte order mark, or are valid UTF-8 and go beyond
// ASCII: Cyrillic text in a single-byte encoding never is, and a file
// marked Windows that is UTF-8 (as hand-made exports are) is read as what
// it is. Otherwise the Кодировка line picks cp866 or windows-1251, the
// latter also when the line is missing. complete tells the head is the
// whole file, so its last bytes are no rune cut in two.
func sniffEncoding(head []byte, complete bool) textEncoding {
	if bytes.HasPrefix(head, byteOrderMark) {
		return utf8Text
	}
	if !complete {
		head = withoutCutRune(head)
	}
	if !isASCII(head) && utf8.Valid(head) {
		return utf8Text
	}
	for _, key := range encodingKeys {
		i := bytes.Index(head, key)
		if i < 0 || (i > 0 && head[i-1] != '\n') {
			continue
		}
		value, _, _ := bytes.Cut(head[i+len(key):], []byte("\n"))
		if enc, ok := encodingNamed(string(bytes.TrimSpace(value))); ok && enc == cp866 {
			return cp866
		}
		break
	}
	return windows1251
}

// withoutCutRune drops a rune cut in two at the end of b.
func withoutCutRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decode turns a line's bytes into text. Text is always valid UTF-8:
// bytes that are not, in a UTF-8 file, become U+FFFD.
func (e textEncoding) decode(line []byte) string {
	if isASCII(line) {
		return string(line)
	}
	if e.charmap == nil {
		if utf8.Valid(line) {
			return string(line)
		}
		return strings.ToValidUTF8(string(line), "\uFFFD")
	}
	var b strings.Builder
	b.Grow(2 * len(line))
	for _, c := range line {
		if c < utf8.RuneSelf {
			b.WriteByte(c)
		} else {
			b.WriteRune(e.charmap.DecodeByte(c))
		}
	}
	return b.String()
}

// encode appends text in the encoding; a character it lacks becomes «?».
func (e textEncoding) encode(dst []byte, s string) []byte {
	if e.charmap == nil {
		return append(dst, s...)
	}
	for _, r := range s {
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else if c, ok := e.charmap.EncodeRune(r); ok {
			dst = append(dst, c)
		} else {
			dst = append(dst, '?')
		}
	}
	return dst
}
