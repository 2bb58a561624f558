# Django's Simplified Chinese formats group digits by four with no separator, so a grouped
# number came out ungrouped ("20000" in the comment box's limit). Chinese technical and
# government texts write large numbers in groups of three with a comma ("20,000"). Only the
# numbers shown with grouping change; dates and the rest are Django's.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
