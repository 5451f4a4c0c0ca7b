// args: --function pick_one --kernel v4.13
// The language has no switch.
static int pick_one(struct page *page)
{
	switch (page_count(page)) {
	case 1:
		return 1;
	default:
		return 0;
	}
}
