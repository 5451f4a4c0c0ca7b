// args: --function walk_pages --kernel v6.6
// A do … while whose condition steps with a comma.
static int walk_pages(struct page *page, int nr)
{
	int dirty = 0;

	do {
		if (PageDirty(page))
			dirty++;
	} while (page++, --nr > 0);
	return dirty;
}
