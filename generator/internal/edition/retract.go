package edition

// RetractedDistricts is how the public edition names a district that is no
// longer in the records, wherever an output looks back at an older version
// (the history, the change report): the figures of the past stay true and
// stay, but the name and the id go with the district. The internal edition
// keeps them.
const RetractedDistricts = "已撤下的区县（districts no longer published）"
