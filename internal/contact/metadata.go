package contact

// HasMetadata reports whether a JPEG carries an APP1 (EXIF, XMP), APP13
// (IPTC) or COM segment, or a PNG a text or EXIF chunk: what Process must
// never let through.
func HasMetadata(data []byte) bool {
	if len(data) > 8 && string(data[1:4]) == "PNG" {
		for i := 8; i+8 <= len(data); {
			n := int(data[i])<<24 | int(data[i+1])<<16 | int(data[i+2])<<8 | int(data[i+3])
			switch string(data[i+4 : i+8]) {
			case "tEXt", "zTXt", "iTXt", "eXIf", "tIME":
				return true
			}
			i += 12 + n
		}
		return false
	}
	for i := 2; i+4 <= len(data) && data[i] == 0xFF; {
		m := data[i+1]
		if m == 0xE1 || m == 0xED || m == 0xFE {
			return true
		}
		if m == 0xDA {
			return false
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return false
}
