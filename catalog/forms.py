from wagtail.admin.forms import WagtailAdminPageForm


class TreePlacedPageForm(WagtailAdminPageForm):
    """Places a new page in its agency and province before the model validates it, so that
    codes are checked for uniqueness in the province (and submission domains known) at once."""

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None)
        if parent is not None and not self.instance.pk:
            self.place(parent.specific)
        return cleaned

    def place(self, parent) -> None:
        raise NotImplementedError


class ProcedurePageForm(TreePlacedPageForm):
    def place(self, agency) -> None:
        self.instance.agency = agency
        self.instance.province = getattr(agency, "province", None)


class AgencyPageForm(TreePlacedPageForm):
    def place(self, province) -> None:
        self.instance.province = province
