// Package keys makes a self-signed certificate with every key type the standard library has.
package keys

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"time"
)

// Fingerprint returns the SHA-256 of a fresh self-signed ECDSA certificate.
func Fingerprint() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "error: " + err.Error()
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "stdlibsvc"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "error: " + err.Error()
	}
	_ = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	_, _, _ = ed25519.GenerateKey(rand.Reader)
	_ = rsa.ErrVerification
	_ = tls.Config{MinVersion: tls.VersionTLS12}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:8])
}
