from wagtail.admin.forms import WagtailAdminPageForm


class ProcedurePageForm(WagtailAdminPageForm):
    """Places a new procedure in its agency and province before the model validates it,
    so that code uniqueness and the province's submission domains are checked at once."""

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None)
        if not self.instance.agency_id and parent is not None:
            agency = parent.specific
            self.instance.agency = agency
            self.instance.province = getattr(agency, "province", None)
        return cleaned
