package hub

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits, in characters and bytes. The upper bound keeps a
// login request from making argon2id hash megabytes.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 1024
)

// argon2id parameters for new hashes: the OWASP minimum (19 MiB, two
// passes, one thread), about 30 ms a hash. Stored hashes carry their own
// parameters, so raising these later does not lock anyone out.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// errBadHash is a stored hash that is not one HashPassword wrote.
var errBadHash = errors.New("not an argon2id password hash")

// CheckPasswordPolicy reports whether a new password is acceptable; the
// error wraps ErrBadRequest and says why.
func CheckPasswordPolicy(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return fmt.Errorf("%w: a password needs at least %d characters", ErrBadRequest, MinPasswordChars)
	case len(password) > MaxPasswordBytes:
		return fmt.Errorf("%w: a password may have at most %d bytes", ErrBadRequest, MaxPasswordBytes)
	case !utf8.ValidString(password):
		return fmt.Errorf("%w: a password must be valid UTF-8", ErrBadRequest)
	}
	return nil
}

// HashPassword returns the argon2id hash of password in the PHC string
// format, with its parameters and a random salt:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("drawing a salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches an encoded hash made by
// HashPassword, comparing in constant time. An error means the stored hash
// is malformed.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("%w: version %q", errBadHash, parts[2])
	}
	var (
		memory, passes uint32
		threads        uint8
	)
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, fmt.Errorf("%w: parameters %q", errBadHash, parts[3])
	}
	// Refuse parameters no hash of ours has, so a tampered row cannot make
	// a login allocate gigabytes.
	if memory == 0 || memory > 1<<20 || passes == 0 || passes > 16 || threads == 0 {
		return false, fmt.Errorf("%w: parameters %q out of range", errBadHash, parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, fmt.Errorf("%w: salt", errBadHash)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, fmt.Errorf("%w: key", errBadHash)
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
