package xlsx

// isBuiltInDateFormat reports whether a built-in number format id shows a
// date or a time. 14–22 and 45–47 are the ECMA-376 date and time formats;
// 27–36 and 50–58 are the East Asian ones (年/月/日, 时/分) that Chinese Excel
// writes without declaring them in styles.xml.
func isBuiltInDateFormat(id int) bool {
	switch {
	case id >= 14 && id <= 22, id >= 45 && id <= 47:
		return true
	case id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	}
	return false
}

// isDateFormatCode reports whether a custom number format code shows a date
// or a time: it holds y, m, d, h or s outside quoted text, brackets ([Red],
// [$-804], [h]) and escaped or padding characters (\d, _), *-).
func isDateFormatCode(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			for i++; i < len(code) && code[i] != '"'; i++ {
			}
		case '[':
			for i++; i < len(code) && code[i] != ']'; i++ {
			}
		case '\\', '_', '*':
			i++
		case 'y', 'Y', 'm', 'M', 'd', 'D', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}
