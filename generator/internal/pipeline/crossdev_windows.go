package pipeline

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isCrossDevice tells err is a rename or link that failed for its two
// paths being on different volumes (ERROR_NOT_SAME_DEVICE).
func isCrossDevice(err error) bool { return errors.Is(err, windows.ERROR_NOT_SAME_DEVICE) }
