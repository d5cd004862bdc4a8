package contact

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"sync"

	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"

	"helpcenter/internal/store"
)

// Screenshot bounds.
const (
	MaxScreenshots    = 3
	MaxScreenshotSize = 5 << 20
	MaxPixels         = 40_000_000
	MaxSide           = 10_000
	// MaxEncodedSize bounds a screenshot once re-encoded: re-encoding can
	// make a file larger than the reader's, but not without limit.
	MaxEncodedSize = 2 * MaxScreenshotSize
)

// pngEncoder re-encodes PNG, GIF and WebP screenshots. Its buffers (a
// deflate writer and two rows) are reused across uploads.
var pngEncoder = &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderPool{}}

type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// decodeBudget is the pixels all uploads may be decoding at once.
var decodeBudget = semaphore.NewWeighted(MaxPixels)

// Screenshot errors, as message IDs of the locale files.
const (
	ErrNotImage     = "contact.error.screenshot_type"
	ErrTooLarge     = "contact.error.screenshot_size"
	ErrTooManyPixel = "contact.error.screenshot_pixels"
	ErrTooMany      = "contact.error.screenshot_count"
	ErrUnreadable   = "contact.error.screenshot_broken"
)

// ImageError is a refused screenshot; ID is the message ID to show.
type ImageError struct{ ID string }

func (e *ImageError) Error() string { return "contact: screenshot refused: " + e.ID }

// sniff returns the image type of data by its first bytes, or "".
func sniff(data []byte) string {
	switch ct := http.DetectContentType(data); ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return ct
	}
	return ""
}

// Process checks one uploaded file and returns it re-encoded: PNG for
// PNG, GIF (first frame) and WebP, JPEG for JPEG, with the EXIF
// orientation applied and no metadata at all (the encoders of the
// standard library write none). The header is read first with
// image.DecodeConfig, so a file claiming more than MaxPixels or MaxSide
// is refused before a single pixel is allocated.
func Process(data []byte) (store.Screenshot, error) {
	if len(data) > MaxScreenshotSize {
		return store.Screenshot{}, &ImageError{ErrTooLarge}
	}
	typ := sniff(data)
	if typ == "" {
		return store.Screenshot{}, &ImageError{ErrNotImage}
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch typ {
	case "image/png":
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "image/jpeg":
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case "image/gif":
		decodeConfig, decode = gif.DecodeConfig, gif.Decode
	case "image/webp":
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return store.Screenshot{}, &ImageError{ErrUnreadable}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return store.Screenshot{}, &ImageError{ErrTooManyPixel}
	}
	// A decoded image takes 4 to 8 bytes a pixel: hold the pixels being
	// decoded across all uploads to one image of the largest size (or many
	// of a usual one), so a burst of large uploads waits its turn instead
	// of exhausting memory.
	px := int64(cfg.Width) * int64(cfg.Height)
	_ = decodeBudget.Acquire(context.Background(), px)
	defer decodeBudget.Release(px)
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return store.Screenshot{}, &ImageError{ErrUnreadable}
	}
	if typ == "image/jpeg" {
		img = orient(img, jpegOrientation(data))
	}
	// A small file can hold an image that re-encodes huge (a lossless
	// WebP of shifted rows, say): the encoder stops at MaxEncodedSize, so
	// neither memory nor the database ever holds more.
	out := &cappedBuffer{max: MaxEncodedSize}
	outType := "image/png"
	if typ == "image/jpeg" {
		outType = "image/jpeg"
		err = jpeg.Encode(out, img, &jpeg.Options{Quality: 88})
	} else {
		err = pngEncoder.Encode(out, img)
	}
	if errors.Is(err, errTooLarge) {
		return store.Screenshot{}, &ImageError{ErrTooLarge}
	}
	if err != nil {
		return store.Screenshot{}, &ImageError{ErrUnreadable}
	}
	sum := sha256.Sum256(out.Bytes())
	b := img.Bounds()
	return store.Screenshot{SHA256: sum[:], Type: outType, Size: out.Len(), Width: b.Dx(), Height: b.Dy(), Data: out.Bytes()}, nil
}

// errTooLarge stops an encoder whose output passed MaxEncodedSize.
var errTooLarge = errors.New("contact: re-encoded screenshot too large")

// cappedBuffer is a bytes.Buffer that refuses to grow past max.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, errTooLarge
	}
	return b.Buffer.Write(p)
}

// jpegOrientation returns the EXIF orientation (1 to 8) of a JPEG, 1 when
// it has none or it cannot be read.
func jpegOrientation(data []byte) int {
	i := 2
	for i+4 <= len(data) && data[i] == 0xFF {
		marker := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xDA || n < 2 || i+2+n > len(data) {
			break
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			if o, err := tiffOrientation(seg[6:]); err == nil {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) (int, error) {
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, errors.New("bad byte order")
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0, errors.New("bad offset")
	}
	count := int(bo.Uint16(t[off:]))
	for k := range count {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o, nil
			}
		}
	}
	return 0, errors.New("no orientation")
}

// orient turns img as EXIF orientation o asks.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			i, j := src.PixOffset(x, y), dst.PixOffset(dx, dy)
			copy(dst.Pix[j:j+4], src.Pix[i:i+4])
		}
	}
	return dst
}
