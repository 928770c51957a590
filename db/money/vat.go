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

// VATOfPart is the VAT of a part of an amount paid in parts, after before
// was paid: the VAT of all paid so far less the VAT of what was before.
// Rounded this way, the parts' VAT adds up to the whole's to the kopeck.
func VATOfPart(before, part Kopecks, rate int) Kopecks {
	return VATOf(before+part, rate) - VATOf(before, rate)
}
