package pdf

import (
	"bytes"
	"image"
	"image/png"
	"strconv"
	"strings"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"

	"elk/db"
	"elk/db/money"
)

// PaymentQR is the invoice's payment order in the GOST R 56042-2014 format
// that Russian banking apps scan: "ST0001", "2" for UTF-8, the separator,
// then the fields, the sum (what the invoice still awaits) in kopecks. The standard lets the payee pick any
// separator that no value contains, so a «|» in a name makes the next free
// candidate the separator instead of being dropped.
func PaymentQR(inv db.Invoice) string {
	s := inv.Supplier
	fields := [][2]string{
		{"Name", clip(s.Name, 160)},
		{"PersonalAcc", s.BankAccount},
		{"BankName", clip(s.BankName, 45)},
		{"BIC", s.BIK},
		{"CorrespAcc", s.CorrAccount},
		{"PayeeINN", s.INN},
		{"KPP", s.KPP},
		{"Sum", strconv.FormatInt(int64(inv.Due()), 10)},
		{"Purpose", clip(PaymentPurpose(inv), maxPurpose)},
	}
	sep := separatorFor(fields)
	var b strings.Builder
	b.WriteString("ST00012")
	for _, f := range fields {
		if f[1] == "" {
			continue // an optional field left empty (a sole trader's КПП)
		}
		b.WriteString(sep + f[0] + "=" + f[1])
	}
	return b.String()
}

// maxPurpose is the standard's limit on the purpose, in characters.
const maxPurpose = 210

// PaymentPurpose is the «назначение платежа» the invoice asks for: the
// invoice, the contract it is paid under, and the VAT of the sum asked.
// The contract is left out rather than the VAT cut off when the whole
// would not fit the QR code's purpose.
func PaymentPurpose(inv db.Invoice) string {
	invoice := "Оплата по счёту № " + inv.Number + " от " + inv.IssuedOn.Format("02.01.2006")
	vat := ", без НДС"
	if inv.VATRate != money.NoVAT {
		vat = ", в т.ч. НДС " + strconv.Itoa(inv.VATRate) + "% " + rubles(inv.DueVAT())
	}
	if ref := contractRef(inv.Buyer); ref != "" {
		if p := invoice + " по договору " + ref + vat; utf8.RuneCountInString(p) <= maxPurpose {
			return p
		}
	}
	return invoice + vat
}

// separatorFor picks the first candidate that no value contains.
func separatorFor(fields [][2]string) string {
	for _, c := range []string{"|", "#", ";", "^", "~", "`"} {
		free := true
		for _, f := range fields {
			if strings.Contains(f[1], c) {
				free = false
				break
			}
		}
		if free {
			return c
		}
	}
	return "|" // never reached by real requisites; the standard's default
}

// clip cuts a value to the standard's length limit, in characters.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// rubles writes an amount as documents print it: «1 234,56 руб.» (the
// embedded fonts have no ruble sign).
func rubles(k money.Kopecks) string { return k.Format() + " руб." }

// qrImage draws the payload as a QR code (error correction M, the quiet
// zone included) in a small PNG, four pixels a module: sharp when printed,
// and several times faster to make than the layout library's own.
func qrImage(payload string) ([]byte, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	const scale = 4
	modules := q.Bitmap()
	img := image.NewGray(image.Rect(0, 0, len(modules)*scale, len(modules)*scale))
	for y, line := range modules {
		for x, dark := range line {
			if dark {
				continue
			}
			for dy := range scale {
				row := img.Pix[(y*scale+dy)*img.Stride:]
				for dx := range scale {
					row[x*scale+dx] = 0xff
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
