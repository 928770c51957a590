package money

// NoVAT is the VAT rate of a vendor that does not charge VAT.
const NoVAT = -1

// VATOf is the VAT included in a gross amount at the rate, rounded to the
// kopeck, half up; zero without VAT.
func VATOf(gross Kopecks, rate int) Kopecks {
	if rate <= 0 {
		return 0
	}
	d := int64(100 + rate)
	return Kopecks((2*int64(gross)*int64(rate) + d) / (2 * d))
}
