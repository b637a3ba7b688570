package parsers

import (
	"time"
)

// Clock turns the wall-clock fields of one input's timestamps into UTC.
//
// Lines that state an offset ("+0100", "Z", "UTC") are converted with
// FixedTime and need no Clock state. Zoneless lines (Nginx error log,
// PHP-FPM, syslog, many application logs) are converted with LocalTime in
// Loc, which the run chooses per input (DESIGN §7: --tz, else the offset of
// the access logs of the same run, else the machine's zone). Year-less syslog
// stamps take their year from YearRef and follow December → January turns.
//
// A Clock belongs to one input and is not safe for concurrent use.
type Clock struct {
	// Loc is the zone assumed for zoneless timestamps.
	Loc *time.Location
	// Reason says why Loc was chosen ("--tz", "access logs", "local zone" …).
	Reason string
	// YearRef is the time year-less stamps are placed by: the first time
	// seen in the run's other logs, else the input's modification time.
	YearRef time.Time
	// YearRefIsLatest says YearRef is a time no entry can be later than
	// (the file's modification time): the first stamp then takes the latest
	// year that does not put it after YearRef (plus two days of slack for
	// clock skew). Otherwise it takes the year that puts it closest.
	YearRefIsLatest bool

	// cache of the last zoneless conversion (logs repeat the same second)
	lastKey  int64
	lastUnix int64
	lastOK   bool

	// year inference state
	year      int
	lastMonth int
	usedYear  bool // Year was called: the input's stamps carry no year

	// yearHint is the full timestamp a wrapper put on the current line
	// (CRI, docker logs -t, Docker json-file, Heroku): a year-less stamp
	// inside it takes the year that puts it closest to the wrapper's time.
	yearHint time.Time
	// wrapBuf is scratch space a wrapper decodes an escaped line into
	// (Docker json-file); it holds one line, valid until the next.
	wrapBuf []byte
}

// NewClock returns a clock for zoneless timestamps in loc (UTC when nil).
func NewClock(loc *time.Location, reason string) *Clock {
	if loc == nil {
		loc = time.UTC
	}
	return &Clock{Loc: loc, Reason: reason}
}

// daysFromCivil returns the number of days since 1970-01-01 of a proleptic
// Gregorian date (Howard Hinnant's algorithm); month is 1..12.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// validDate reports whether the fields form a plausible timestamp.
func validDate(y, mo, d, h, mi, s int) bool {
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
		h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60
}

// FixedTime converts wall-clock fields at a known offset (seconds east of
// UTC) to UTC without allocating. ok is false for impossible fields.
func FixedTime(y, mo, d, h, mi, s, nsec, offset int) (t time.Time, ok bool) {
	if !validDate(y, mo, d, h, mi, s) {
		return time.Time{}, false
	}
	unix := daysFromCivil(y, mo, d)*86400 + int64(h*3600+mi*60+s) - int64(offset)
	return time.Unix(unix, int64(nsec)).UTC(), true
}

// LocalTime converts zoneless wall-clock fields to UTC in c.Loc. The
// conversion of the previous second is cached, so a log that writes many
// lines per second pays for time.Date once per second.
func (c *Clock) LocalTime(y, mo, d, h, mi, s, nsec int) (t time.Time, ok bool) {
	if !validDate(y, mo, d, h, mi, s) {
		return time.Time{}, false
	}
	key := ((((int64(y)*16+int64(mo))*32+int64(d))*32+int64(h))*64+int64(mi))*64 + int64(s)
	if !c.lastOK || key != c.lastKey {
		loc := c.Loc
		if loc == nil {
			loc = time.UTC
		}
		c.lastUnix = time.Date(y, time.Month(mo), d, h, mi, s, 0, loc).Unix()
		c.lastKey, c.lastOK = key, true
	}
	return time.Unix(c.lastUnix, int64(nsec)).UTC(), true
}

// Year returns the year for a year-less stamp in month (1..12). The first
// stamp of an input takes its year from YearRef (see YearRefIsLatest; the
// current time is the latest possible when YearRef is zero); later stamps
// keep that year and move to the next one when the month falls back by
// more than half a year (December → January).
func (c *Clock) Year(month, day int) int {
	c.usedYear = true
	if !c.yearHint.IsZero() {
		return c.hintYear(month, day)
	}
	if c.year == 0 {
		ref, latest := c.YearRef, c.YearRefIsLatest
		if ref.IsZero() {
			ref, latest = time.Now(), true
		}
		ref = ref.In(c.loc())
		best, bestDiff := ref.Year(), time.Duration(1<<62)
		for _, y := range []int{ref.Year() + 1, ref.Year(), ref.Year() - 1} {
			t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, c.loc())
			if latest {
				if !t.After(ref.Add(48 * time.Hour)) {
					best = y
					break
				}
				continue
			}
			diff := t.Sub(ref)
			if diff < 0 {
				diff = -diff
			}
			if diff < bestDiff {
				best, bestDiff = y, diff
			}
		}
		c.year, c.lastMonth = best, month
		return c.year
	}
	if month < c.lastMonth-6 {
		c.year++
	} else if month > c.lastMonth+6 {
		// an out-of-order line from before the turn
		return c.year - 1
	}
	c.lastMonth = month
	return c.year
}

// hintYear returns the year that puts month/day closest to the wrapper's
// time of the current line, and makes it the year later stamps follow.
func (c *Clock) hintYear(month, day int) int {
	h := c.yearHint.In(c.loc())
	best, bestDiff := h.Year(), time.Duration(1<<62)
	for _, y := range [...]int{h.Year(), h.Year() - 1, h.Year() + 1} {
		diff := time.Date(y, time.Month(month), day, 12, 0, 0, 0, c.loc()).Sub(h)
		if diff < 0 {
			diff = -diff
		}
		if diff < bestDiff {
			best, bestDiff = y, diff
		}
	}
	c.year, c.lastMonth = best, month
	return best
}

func (c *Clock) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}
