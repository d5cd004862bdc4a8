// Package contacttest builds the images and posts that the contact
// flow's tests send: real files, some of them hostile.
package contacttest

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
)

// PNG returns a w×h PNG with a red top row.
func PNG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.RGBA{255, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BombPNG returns a small PNG whose header claims w×h pixels.
func BombPNG(t testing.TB, w, h uint32) []byte {
	b := PNG(t, 8, 8)
	// IHDR data starts at 16: width, height; its CRC covers type+data.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// GPSJPEG returns a w×h JPEG with an EXIF block holding orientation 6
// (turn 90° clockwise), a GPS IFD and a comment.
func GPSJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	bo := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) []byte {
		e := make([]byte, 12)
		bo.PutUint16(e, tag)
		bo.PutUint16(e[2:], typ)
		bo.PutUint32(e[4:], count)
		bo.PutUint32(e[8:], value)
		return e
	}
	tiff = append(tiff, 0, 2)
	tiff = append(tiff, entry(0x0112, 3, 1, 6<<16)...)
	tiff = append(tiff, entry(0x8825, 4, 1, 8+2+24+4)...)
	tiff = append(tiff, 0, 0, 0, 0)
	// GPS IFD: latitude ref "N".
	tiff = append(tiff, 0, 1)
	tiff = append(tiff, entry(0x0001, 2, 2, uint32('N')<<24)...)
	tiff = append(tiff, 0, 0, 0, 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	bo.PutUint16(app1[2:], uint16(len(seg)+2))
	app1 = append(app1, seg...)
	com := []byte{0xFF, 0xFE, 0, 9}
	com = append(com, "secret!"...)
	src := enc.Bytes()
	out := append([]byte{}, src[:2]...)
	out = append(out, app1...)
	out = append(out, com...)
	return append(out, src[2:]...)
}

// Multipart is a contact post: its fields, files named shot0.png, shot1.png…
// as "screenshots", and extraParts more tiny fields.
func Multipart(t testing.TB, path string, fields map[string]string, files [][]byte, extraParts int) *http.Request {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for i, f := range files {
		w, _ := mw.CreateFormFile("screenshots", fmt.Sprintf("shot%d.png", i))
		w.Write(f)
	}
	for i := range extraParts {
		mw.WriteField(fmt.Sprintf("x%d", i), "x")
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// NoisePNG returns a w×h PNG of random pixels: it does not compress, so
// 512×512 is a screenshot of about 1 MB.
func NoisePNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rand.Read(img.Pix)
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
