// args: --function visit_all --kernel v4.13
// An iterator macro: C sees a call followed by a block.
static int visit_all(struct page *page, struct list_head *head)
{
	struct page *p;
	int n = 0;

	list_for_each_entry(p, head, lru) {
		n++;
	}
	return n;
}
